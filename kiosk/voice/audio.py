"""Voice messages: check what a browser sent is a short recording, keep it, delete it.

A recording is a file under VOICE_DIR (instance/voice by default), named by a random id,
never by anything about its speaker. It lives until a staff member transcribes it or
VOICE_RETENTION_DAYS pass, whichever comes first; it is never exported.
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app

from ..extensions import db
from ..models import utcnow
from .models import Contribution, ContributionChange

MAX_SECONDS = 60
# What MediaRecorder gives (WebM/Ogg Opus, MP4 AAC on Safari) and a plain WAV: each known by
# its first bytes, not by what the browser claims.
MIME_TYPES = {"webm": "audio/webm", "ogg": "audio/ogg", "mp4": "audio/mp4", "wav": "audio/wav"}


class AudioError(ValueError):
    """A recording refused; ``reason`` names why: "not_audio", "too_big", "too_long", "empty"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def sniff(head: bytes) -> str | None:
    """Return the container a recording's first bytes name, or None if it is not one we take."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"OggS"):
        return "ogg"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    return None


def wav_seconds(data: bytes) -> float | None:
    """Return a PCM WAV's duration from its header (byte rate and data size), if readable."""
    if len(data) < 44:
        return None
    byte_rate = int.from_bytes(data[28:32], "little")
    position = 12
    while position + 8 <= len(data):
        chunk, size = data[position:position + 4], int.from_bytes(data[position + 4:position + 8], "little")
        if chunk == b"data":
            return min(size, len(data) - position - 8) / byte_rate if byte_rate else None
        position += 8 + size + (size & 1)
    return None


def check_recording(data: bytes, declared_seconds: str | None, *, max_seconds: int = MAX_SECONDS,
                    max_bytes: int | None = None) -> str:
    """Return the recording's container, or raise AudioError saying why it is refused.

    The limits default to a resident's voice message; the kiosk's recorded prompts pass theirs.
    """
    config = current_app.config
    if not data:
        raise AudioError("empty")
    if len(data) > (max_bytes or config["VOICE_MAX_BYTES"]):
        raise AudioError("too_big")
    container = sniff(data[:16])
    if container is None:
        raise AudioError("not_audio")
    seconds = wav_seconds(data) if container == "wav" else None
    if seconds is None:
        try:
            seconds = float(declared_seconds or 0)
        except ValueError:
            seconds = 0.0
        if seconds != seconds:  # NaN
            seconds = 0.0
    if seconds > max_seconds + 1:  # one second of slack for the recorder's own stop
        raise AudioError("too_long")
    return container


def voice_dir() -> Path:
    path = Path(current_app.config["VOICE_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(data: bytes, container: str) -> str:
    """Write a recording and return its file name."""
    name = f"{secrets.token_hex(16)}.{container}"
    fd = os.open(voice_dir() / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return name


def audio_path(contribution: Contribution) -> Path | None:
    if not contribution.audio_file:
        return None
    path = voice_dir() / contribution.audio_file
    return path if path.is_file() else None


def delete_audio(contribution: Contribution) -> None:
    """Delete a contribution's recording, file and reference."""
    if contribution.audio_file:
        path = voice_dir() / Path(contribution.audio_file).name
        path.unlink(missing_ok=True)
    contribution.audio_file = None
    contribution.audio_mime = None


def purge_old_audio(*, days: int, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete the recordings older than ``days``; return how many."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    rows = list(db.session.execute(db.select(Contribution).where(
        Contribution.audio_file.is_not(None), Contribution.created_at < cutoff)).scalars())
    if not dry_run:
        for contribution in rows:
            delete_audio(contribution)
            contribution.changes.append(ContributionChange(
                action="audio_purged", status=contribution.status,
                detail=f"message vocal supprimé après {days} jours"))
        db.session.flush()
    return len(rows)


def stored_recordings() -> list[str]:
    """The file names of every voice message the database still names."""
    return list(db.session.execute(
        db.select(Contribution.audio_file).where(Contribution.audio_file.is_not(None))).scalars())


def delete_files(names, folder: Path | None = None) -> int:
    """Delete these recordings from ``folder``, VOICE_DIR by default (by name only: nothing outside it);
    return how many were there."""
    folder = folder or voice_dir()
    deleted = 0
    for name in names:
        path = folder / Path(name).name
        if path.is_file():
            path.unlink()
            deleted += 1
    return deleted
