"""What the kiosk's pages read of this area: the recordings of a language's prompts."""

from __future__ import annotations

from flask import url_for

from .overrides import store


def prompt_audio(code: str, *keys: str) -> str:
    """The URLs of the recordings of these prompts in this language, space-separated, in order;
    "" when none is recorded (the kiosk then falls back to speech synthesis, then to silence)."""
    recorded = store().recordings.get(code, {})
    return " ".join(url_for("languages.audio", name=recorded[key]) for key in keys if key in recorded)
