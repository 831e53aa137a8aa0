"""What the kiosk's pages read of this area: the recordings of a language's prompts."""

from __future__ import annotations

from flask import url_for

from ..i18n import ORAL_LANGUAGES, resident_language
from .overrides import store


def prompt_audio(code: str, *keys: str) -> str:
    """The URLs of the recordings of these prompts in this language, space-separated, in order;
    "" when none is recorded (the kiosk then falls back to speech synthesis, then to silence)."""
    recorded = store().recordings.get(code, {})
    return " ".join(url_for("languages.audio", name=recorded[key]) for key in keys if key in recorded)


def resident_speaks_orally() -> bool:
    """Whether the resident chose an oral language: each screen then plays its recordings as it shows."""
    return resident_language() in ORAL_LANGUAGES
