"""The central server's approved texts and recordings, as a stand receives them (kiosk/sync pulls them).

Translators work on the central server. A stand keeps a copy of each language's approved texts
and recorded prompts, replaced whole whenever that language changed there: what central
approved or recorded is added, what it un-approved or deleted goes. Everything received is
checked as a translator's own input is (placeholders and markup, a recording's content, size
and length, and its name, which is its content's hash); what fails is refused and logged and
never reaches a kiosk, and the stand keeps what it had for that string or prompt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

from ..extensions import db
from ..i18n import WRITTEN_LANGUAGES
from ..models import utcnow
from ..voice.audio import MIME_TYPES, AudioError, check_recording
from .models import APPROVED, PromptRecording, TranslationText
from .prompts import prompt_keys
from .services import (
    AUDIO_NAME,
    PROMPT_MAX_SECONDS,
    REFUSALS,
    TranslationError,
    _changed,
    _resident,
    audio_name,
    check_language,
    check_text,
    delete_recording,
    prompt_dir,
    save_recording,
)
from .strings import msgid_key

log = logging.getLogger(__name__)

# Given a recording's file name, its bytes and the content type they were served with, or None
# when the central server no longer has it (deleted since the pull was made).
Fetch = Callable[[str], "tuple[str, bytes] | None"]


def published(code: str) -> tuple[dict[str, str], list[PromptRecording]]:
    """What the stands show of a language (central side): its approved texts, its recordings."""
    texts = dict(db.session.execute(db.select(TranslationText.msgid, TranslationText.text).where(
        TranslationText.language == code, TranslationText.status == APPROVED).order_by(TranslationText.id)).all())
    recordings = list(db.session.execute(db.select(PromptRecording).where(
        PromptRecording.language == code).order_by(PromptRecording.prompt_key)).scalars())
    return texts, recordings


@dataclass
class Mirrored:
    applied: int = 0  # texts and recordings added or changed
    removed: int = 0  # un-approved or deleted on the central server
    refused: int = 0  # broken: logged, not shown
    fetched: int = 0  # recordings downloaded


def _refuse(result: Mirrored, code: str, what: str, why) -> None:
    result.refused += 1
    log.warning("refused from the central server: %s %s: %s", code, what[:80], why)


def mirror_language(code: str, texts: dict[str, str], recordings: list[dict], fetch: Fetch) -> Mirrored:
    """Make this stand's approved texts and recordings of a language those the central server sent.

    ``recordings``: {"key", "file", "size", "demo"} each; the audio of a file this stand lacks is
    asked of ``fetch`` once. A network failure inside ``fetch`` propagates (the pull is retried);
    anything refused is skipped.
    """
    result = Mirrored()
    try:
        check_language(code)
    except TranslationError as error:
        _refuse(result, code, "language", error)
        return result
    _mirror_texts(result, code, texts)
    _mirror_recordings(result, code, recordings, fetch)
    if result.applied or result.removed:
        _changed(code, kiosks=False)
    return result


def _mirror_texts(result: Mirrored, code: str, texts: dict[str, str]) -> None:
    written = code in WRITTEN_LANGUAGES and code != "fr"
    own = {row.msgid: row for row in db.session.execute(
        db.select(TranslationText).where(TranslationText.language == code)).scalars()}
    for msgid, text in texts.items():
        try:
            if not written:
                raise TranslationError("an oral language or French has no texts to approve")
            _resident(msgid)
            text = check_text(msgid, text)
        except TranslationError as error:
            _refuse(result, code, f"text {msgid!r}", error)
            continue
        row = own.get(msgid)
        if row is not None and row.status == APPROVED and row.text == text:
            continue
        if row is None:
            row = TranslationText(language=code, msgid_key=msgid_key(msgid), msgid=msgid, text=text)
            db.session.add(row)
        # Approved on the central server, by someone this stand may not know: no author here.
        row.text, row.status, row.updated_at, row.approved_at = text, APPROVED, utcnow(), utcnow()
        row.updated_by_id = row.approved_by_id = None
        result.applied += 1
    for msgid, row in own.items():
        # A draft of this stand's own is left alone: it reaches no kiosk.
        if row.status == APPROVED and msgid not in texts:
            db.session.delete(row)
            result.removed += 1
    db.session.flush()


def _mirror_recordings(result: Mirrored, code: str, recordings: list[dict], fetch: Fetch) -> None:
    current = {row.prompt_key: row for row in db.session.execute(
        db.select(PromptRecording).where(PromptRecording.language == code)).scalars()}
    keys, sent = prompt_keys(), set()
    for doc in recordings:
        key, name = doc["key"], doc["file"]
        sent.add(key)
        row = current.get(key)
        if row is not None and row.file == name:  # the same sound: fetched already
            if row.demo != doc["demo"]:
                row.demo = doc["demo"]
                result.applied += 1
            continue
        if key not in keys or not AUDIO_NAME.match(name):
            _refuse(result, code, f"recording {key!r}", "no such prompt or not a recording's name")
            continue
        data = _audio(result, code, key, name, doc["size"], fetch)
        if data is None:
            continue
        try:
            save_recording(code, key, data, None, None, demo=doc["demo"])
        except TranslationError as error:  # checked above already: kept as a guard
            _refuse(result, code, f"recording {key!r}", error)
            continue
        result.applied += 1
    for key in current:
        if key not in sent and delete_recording(code, key):
            result.removed += 1


def _audio(result: Mirrored, code: str, key: str, name: str, size, fetch: Fetch) -> bytes | None:
    """The recording's bytes, from this stand's own files or else the central server, checked as
    an upload is (audio, 2 MB, 30 s) and against its name; None when refused."""
    what = f"recording {key!r} ({name})"
    path = prompt_dir() / name
    if path.is_file():  # another key, or an earlier pull, brought the same sound
        mime, data = MIME_TYPES[name.rsplit(".", 1)[1]], path.read_bytes()
    else:
        got = fetch(name)
        if got is None:
            _refuse(result, code, what, "gone from the central server")
            return None
        mime, data = got
        result.fetched += 1
    if mime != MIME_TYPES[name.rsplit(".", 1)[1]]:
        _refuse(result, code, what, f"served as {mime[:40]!r}")
        return None
    try:
        container = check_recording(data, None, max_seconds=PROMPT_MAX_SECONDS,
                                    max_bytes=current_app.config["PROMPT_MAX_BYTES"])
    except AudioError as error:
        _refuse(result, code, what, REFUSALS[error.reason]())
        return None
    if audio_name(data, container) != name or len(data) != size:
        _refuse(result, code, what, "its content is not the one named (cut or altered on the way)")
        return None
    return data
