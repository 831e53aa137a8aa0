"""Approved translations and recordings, read from the database into each server process.

Flask-Babel's translations go through OverridingDomain: a language's approved texts are
looked up first, the shipped catalogue is the fallback. Each application keeps a copy
(OverrideStore) read again at most every RELOAD_SECONDS by the first request after that, and
at once after a change committed in this process, which also drops the kiosk's rendered
pages (kiosk.checkin.snapshots); another process sees the change within RELOAD_SECONDS.
"""

from __future__ import annotations

import threading
import time

from flask import current_app, has_app_context, request
from flask_babel import Domain, get_locale

from ..extensions import db
from ..i18n import KIOSK_LANGUAGES
from .models import APPROVED, PromptRecording, TranslationText

RELOAD_SECONDS = 3.0
# Babel locale → kiosk code, for the written languages (oral ones show French, never overridden).
_CODE_BY_BABEL = {lang.babel: lang.code for lang in KIOSK_LANGUAGES if not lang.oral and lang.code != "fr"}


class _Overlay:
    """A catalogue with a language's approved texts in front of it."""

    def __init__(self, base, texts: dict[str, str]):
        self._base = base
        self._texts = texts

    def ugettext(self, message):
        return self._texts.get(message) or self._base.ugettext(message)

    gettext = ugettext

    def __getattr__(self, name):
        return getattr(self._base, name)


class OverrideStore:
    def __init__(self):
        self.texts: dict[str, dict[str, str]] = {}
        self.recordings: dict[str, dict[str, str]] = {}  # code → prompt key → file name
        self._loaded_at = float("-inf")
        self.version = 0  # one more at each change: the kiosk's kept pages (kiosk.checkin.page) key on it
        self._overlays: dict[tuple[str, int], _Overlay] = {}
        self._lock = threading.Lock()

    def stale(self) -> bool:
        return time.monotonic() - self._loaded_at > RELOAD_SECONDS

    def load(self) -> None:
        texts: dict[str, dict[str, str]] = {}
        for language, msgid, text in db.session.execute(db.select(
                TranslationText.language, TranslationText.msgid, TranslationText.text).where(
                TranslationText.status == APPROVED)):
            texts.setdefault(language, {})[msgid] = text
        recordings: dict[str, dict[str, str]] = {}
        for language, key, name in db.session.execute(db.select(
                PromptRecording.language, PromptRecording.prompt_key, PromptRecording.file)):
            recordings.setdefault(language, {})[key] = name
        with self._lock:
            changed = texts != self.texts or recordings != self.recordings
            self.texts, self.recordings = texts, recordings
            if changed:
                self.version += 1
            self._overlays = {}
            self._loaded_at = time.monotonic()
        if changed:
            # The kiosk's pages were rendered with the old words and recordings.
            current_app.extensions["kiosk_snapshots"].clear()

    def expire(self) -> None:
        self._loaded_at = float("-inf")

    def translations(self, code: str, base):
        texts = self.texts.get(code)
        if not texts:
            return base
        key = (code, id(base))
        overlay = self._overlays.get(key)
        if overlay is None or overlay._base is not base:
            overlay = self._overlays[key] = _Overlay(base, texts)
        return overlay


class OverridingDomain(Domain):
    def get_translations(self):
        base = super().get_translations()
        if not has_app_context():
            return base
        store = current_app.extensions.get("translation_overrides")
        code = _CODE_BY_BABEL.get(str(get_locale()))
        if store is None or code is None:
            return base
        return store.translations(code, base)


def store() -> OverrideStore:
    return current_app.extensions["translation_overrides"]


# Requests that show no translated words: the health check must answer even without a database.
_WORDLESS = {"static", "core.healthz", "languages.audio"}


def refresh_if_stale() -> None:
    if request.endpoint in _WORDLESS or request.path.startswith("/api/"):
        return
    overrides = store()
    if overrides.stale():
        overrides.load()
