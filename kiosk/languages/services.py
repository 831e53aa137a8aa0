"""Translators' work: texts written and approved per language, prompts recorded, the coverage.

Every rule of issue 15's bad input lives here: an unknown or unconfigured language, a text
whose placeholders or markup differ from the French, a recording that is not audio, is over
PROMPT_MAX_SECONDS or PROMPT_MAX_BYTES: refused with a message for the translator, nothing
stored, nothing reaches a kiosk.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from .. import signals
from ..database import after_commit
from ..extensions import db
from ..i18n import LANGUAGE_BY_CODE, LANGUAGES, WRITTEN_LANGUAGES, _
from ..models import User, utcnow
from ..voice.audio import MIME_TYPES, AudioError, check_recording, delete_files
from .models import APPROVED, DRAFT, PromptRecording, TranslationText
from .overrides import store
from .prompts import all_prompts, prompt_keys
from .strings import msgid_key, resident_msgids, shipped_text

PROMPT_MAX_SECONDS = 30
TEXT_MAX = 2000
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
AUDIO_NAME = re.compile(r"^[0-9a-f]{32}\.(webm|ogg|mp4|wav)$")  # a recording's file: its content's hash


class TranslationError(ValueError):
    """Refused; the message says why, in words for the translator."""


def check_language(code: str, *, written: bool = False) -> None:
    if code not in LANGUAGES or (written and (code not in WRITTEN_LANGUAGES or code == "fr")):
        raise TranslationError(_("La langue « %(code)s » n'est pas une langue du kiosque.", code=str(code)[:12]))


def check_text(msgid: str, text: str) -> str:
    """Return the text, trimmed, or raise TranslationError if it would break the screen."""
    text = (text or "").strip()
    if not text:
        raise TranslationError(_("Écrivez une traduction."))
    if len(text) > TEXT_MAX:
        raise TranslationError(_("Cette traduction est trop longue."))
    if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(msgid)):
        raise TranslationError(_("Gardez les repères comme %(example)s exactement comme dans le français : %(marks)s",
                                 example="%(n)s", marks=" ".join(PLACEHOLDER.findall(msgid)) or "—"))
    names = dict.fromkeys(re.findall(r"%\(([A-Za-z_]\w*)\)", msgid), 1)
    try:
        if names:
            text % names  # noqa: B018  (formatting is the check: a stray % raises)
    except (ValueError, TypeError, KeyError):
        raise TranslationError(_("Un signe % est mal placé : écrivez %% pour un pourcentage.")) from None
    if sorted(TAG.findall(text)) != sorted(TAG.findall(msgid)) or text.count("<") != msgid.count("<") \
            or text.count(">") != msgid.count(">"):
        raise TranslationError(_("N'ajoutez pas de balises (< >) : le français n'en a pas ici."))
    return text


def _resident(msgid: str) -> None:
    if msgid not in resident_msgids():
        raise TranslationError(_("Ce texte n'est pas un texte des écrans des habitants."))


def text_row(code: str, msgid: str) -> TranslationText | None:
    return db.session.execute(db.select(TranslationText).where(
        TranslationText.language == code, TranslationText.msgid_key == msgid_key(msgid))).scalar_one_or_none()


def save_text(code: str, msgid: str, text: str, user: User, *, approve: bool = False) -> TranslationText:
    """Keep a translator's text (a draft, or approved at once); approved text reaches the kiosks."""
    check_language(code, written=True)
    _resident(msgid)
    text = check_text(msgid, text)
    row = text_row(code, msgid)
    user_id = user.id
    # A draft reaches no kiosk, unless it replaces an approved text (an un-approval).
    shown_before = row is not None and row.status == APPROVED
    if row is None:
        row = TranslationText(language=code, msgid_key=msgid_key(msgid), msgid=msgid, text=text)
        db.session.add(row)
    row.text, row.updated_at, row.updated_by_id = text, utcnow(), user_id
    row.status = APPROVED if approve else DRAFT
    row.approved_at, row.approved_by_id = (utcnow(), user_id) if approve else (None, None)
    db.session.flush()
    _changed(code, kiosks=approve or shown_before)
    return row


def approve_text(code: str, msgid: str, user: User) -> TranslationText:
    """Approve what is there: the translator's draft, else the shipped (machine-written) text."""
    check_language(code, written=True)
    _resident(msgid)
    row = text_row(code, msgid)
    text = row.text if row is not None else shipped_text(code, msgid)[0]
    if not text:
        raise TranslationError(_("Il n'y a pas encore de traduction à approuver."))
    return save_text(code, msgid, text, user, approve=True)


def _changed(code: str, *, kiosks: bool = True) -> None:
    # Once committed, the next request reads the new words and drops the kiosk's rendered pages.
    overrides = store()
    after_commit(overrides.expire)
    if kiosks:  # the central server numbers the change: its stands pull this language again
        signals.language_changed.send(code)


# ---- Recordings

def prompt_dir() -> Path:
    path = Path(current_app.config["PROMPT_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


REFUSALS = {
    "empty": lambda: _("L'enregistrement est vide."),
    "not_audio": lambda: _("Ce fichier n'est pas un enregistrement sonore."),
    "too_big": lambda: _("L'enregistrement est trop lourd (2 Mo au plus)."),
    "too_long": lambda: _("L'enregistrement est trop long (%(n)s secondes au plus).", n=PROMPT_MAX_SECONDS),
}


def save_recording(code: str, key: str, data: bytes, declared_seconds: str | None, user: User | None, *,
                   demo: bool = False) -> PromptRecording:
    """Check and keep a recorded prompt; it replaces the previous one for this language and key."""
    check_language(code)
    if key not in prompt_keys():
        raise TranslationError(_("Cette phrase n'existe pas dans le kiosque."))
    try:
        container = check_recording(data, declared_seconds, max_seconds=PROMPT_MAX_SECONDS,
                                    max_bytes=current_app.config["PROMPT_MAX_BYTES"])
    except AudioError as error:
        raise TranslationError(REFUSALS[error.reason]()) from None
    name = audio_name(data, container)
    path = prompt_dir() / name
    if not path.exists():
        temporary = path.with_suffix(".part")
        with open(temporary, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    user_id = user.id if user else None
    row = recording_row(code, key)
    if row is None:
        row = PromptRecording(language=code, prompt_key=key, file=name, mime=MIME_TYPES[container], size=len(data))
        db.session.add(row)
    row.file, row.mime, row.size, row.demo = name, MIME_TYPES[container], len(data), demo
    row.created_at, row.created_by_id = utcnow(), user_id
    db.session.flush()
    _changed(code)
    return row


def audio_name(data: bytes, container: str) -> str:
    return f"{hashlib.sha256(data).hexdigest()[:32]}.{container}"


def recording_row(code: str, key: str) -> PromptRecording | None:
    return db.session.execute(db.select(PromptRecording).where(
        PromptRecording.language == code, PromptRecording.prompt_key == key)).scalar_one_or_none()


def delete_recording(code: str, key: str) -> bool:
    row = recording_row(code, key)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    # The file stays while another row uses the same sound (the same file made twice).
    if not db.session.execute(db.select(PromptRecording.id).where(PromptRecording.file == row.file)).first():
        (prompt_dir() / row.file).unlink(missing_ok=True)
    _changed(code)
    return True


def recording_files() -> list[str]:
    """The file names of every recorded prompt the database still names."""
    return list(db.session.execute(db.select(PromptRecording.file).distinct()).scalars())


def delete_recording_files(names) -> int:
    """Delete these recordings from PROMPT_DIR; return how many were there."""
    return delete_files(names, prompt_dir())


# ---- Coverage

@dataclass
class Coverage:
    code: str
    total: int
    translated: int  # shipped or written here
    approved: int  # by a person, in the app
    to_review: int  # translated, not yet approved
    missing: int
    recordings: int
    demo_recordings: int
    prompts: int


def coverage() -> list[Coverage]:
    """The state of each kiosk language, read from the catalogues and the database."""
    msgids = resident_msgids()
    rows: dict[str, dict[str, TranslationText]] = {}
    for row in db.session.execute(db.select(TranslationText)).scalars():
        rows.setdefault(row.language, {})[row.msgid] = row
    recordings: dict[str, list[PromptRecording]] = {}
    for recording in db.session.execute(db.select(PromptRecording)).scalars():
        recordings.setdefault(recording.language, []).append(recording)
    keys = prompt_keys()
    report = []
    for code, language in LANGUAGE_BY_CODE.items():
        recorded = [r for r in recordings.get(code, []) if r.prompt_key in keys]
        if language.oral or code == "fr":
            translated = approved = len(msgids)  # French is the source; oral languages show it
        else:
            own = rows.get(code, {})
            translated = approved = 0
            for msgid in msgids:
                row = own.get(msgid)
                if row is not None and row.status == APPROVED:
                    approved += 1
                if row is not None or shipped_text(code, msgid)[0]:
                    translated += 1
        report.append(Coverage(code=code, total=len(msgids), translated=translated, approved=approved,
                               to_review=translated - approved, missing=len(msgids) - translated,
                               recordings=len(recorded), demo_recordings=sum(r.demo for r in recorded),
                               prompts=len(keys)))
    return report


@dataclass
class StringState:
    msgid: str
    key: str
    shipped: str
    machine: bool  # the shipped text is marked fuzzy: written by a machine, to be reviewed
    text: str  # what the kiosk shows: approved text, else the shipped one, else French
    draft: str | None
    status: str  # "approved", "to_review", "draft", "missing"


def string_states(code: str) -> list[StringState]:
    check_language(code, written=True)
    own = {row.msgid: row for row in db.session.execute(
        db.select(TranslationText).where(TranslationText.language == code)).scalars()}
    states = []
    for msgid in resident_msgids():
        shipped, machine = shipped_text(code, msgid)
        row = own.get(msgid)
        if row is not None and row.status == APPROVED:
            status, text, draft = "approved", row.text, None
        elif row is not None:
            status, text, draft = "draft", shipped or msgid, row.text
        else:
            status, text, draft = ("to_review" if shipped else "missing"), shipped or msgid, None
        states.append(StringState(msgid=msgid, key=msgid_key(msgid), shipped=shipped, machine=machine, text=text,
                                  draft=draft, status=status))
    return states


def prompt_states(code: str) -> list[dict]:
    check_language(code)
    rows = {r.prompt_key: r for r in db.session.execute(
        db.select(PromptRecording).where(PromptRecording.language == code)).scalars()}
    return [{"key": key, "french": str(text), "recording": rows.get(key)} for key, text in all_prompts()]
