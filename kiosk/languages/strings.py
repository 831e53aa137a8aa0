"""The resident-facing strings: what translators review, the coverage report counts, tests walk.

"Resident-facing" means every message extracted from the files below: the kiosk and phone
flow (kiosk/checkin, templates/checkin: welcome, questions, confirmation, privacy notice,
problems), the spoken prompts (prompts.py), the poster and card lines (stand/printing.py),
the orientation screens and slip, and the residents' voice screens and public pages. Plural
messages (ngettext) are left to the catalogue: the editor handles single strings.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from ..i18n import LANGUAGE_BY_CODE

ROOT = Path(__file__).resolve().parent.parent.parent
TRANSLATIONS = ROOT / "kiosk" / "translations"
RESIDENT_SOURCES = (
    "kiosk/checkin/*.py",
    "templates/checkin/*.html",
    "templates/checkin/includes/*.html",
    "kiosk/languages/prompts.py",
    "kiosk/stand/printing.py",
    "kiosk/orientation/resident.py",
    "kiosk/orientation/slips.py",
    "templates/orientation/_*.html",
    "templates/orientation/slip_print.html",
    "templates/orientation/includes/slip_card.html",
    "templates/orientation/includes/after_checkin.html",
    "kiosk/voice/resident.py",
    "kiosk/voice/faces.py",
    "kiosk/voice/topics.py",
    "kiosk/voice/public.py",
    "templates/voice/_*.html",
    "templates/voice/public*.html",
    "templates/voice/card_status.html",
    "templates/voice/includes/after_checkin.html",
    "templates/voice/includes/initiative.html",
    "templates/voice/includes/published.html",
    "templates/voice/includes/welcome_answers.html",
)
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
# Staff-only words that sit in the kiosk's folders (the animateur's unlock screen, the event page's buttons).
STAFF_FILES = {"templates/checkin/_unlock.html", "templates/checkin/includes/event_actions.html",
               "kiosk/checkin/kiosk_mode.py", "kiosk/checkin/tablets.py"}


def msgid_key(msgid: str) -> str:
    return hashlib.sha1(msgid.encode()).hexdigest()


@lru_cache(maxsize=1)
def resident_msgids() -> tuple[str, ...]:
    """Every resident-facing French msgid (singular), once, in the order of the sources."""
    seen: dict[str, None] = {}
    for pattern in RESIDENT_SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            if str(path.relative_to(ROOT)) in STAFF_FILES:
                continue
            method = "python" if path.suffix == ".py" else "jinja2"
            for _line, message, _comments, _context in extract_from_file(method, path, keywords=KEYWORDS):
                if isinstance(message, str) and message:
                    seen.setdefault(message, None)
    return tuple(seen)


@lru_cache(maxsize=1)
def _keys() -> dict[str, str]:
    return {msgid_key(m): m for m in resident_msgids()}


def msgid_for_key(key: str) -> str | None:
    return _keys().get(key)


def po_path(code: str) -> Path:
    return TRANSLATIONS / str(LANGUAGE_BY_CODE[code].babel) / "LC_MESSAGES" / "messages.po"


_CATALOGUES: dict[str, tuple[float, Catalog]] = {}


def shipped_catalogue(code: str) -> Catalog | None:
    """The language's .po file as shipped (re-read when it changes on disk); None for oral languages."""
    language = LANGUAGE_BY_CODE.get(code)
    if language is None or language.oral or code == "fr":
        return None
    path = po_path(code)
    if not path.is_file():
        return None
    mtime = path.stat().st_mtime
    cached = _CATALOGUES.get(code)
    if cached is None or cached[0] != mtime:
        with path.open("rb") as f:
            cached = (mtime, read_po(f, locale=language.babel))
        _CATALOGUES[code] = cached
    return cached[1]


def shipped_text(code: str, msgid: str) -> tuple[str, bool]:
    """The catalogue's text for a msgid and whether a machine wrote it (fuzzy: to be reviewed)."""
    catalogue = shipped_catalogue(code)
    message = catalogue.get(msgid) if catalogue is not None else None
    if message is None or not isinstance(message.string, str) or not message.string:
        return "", False
    return message.string, message.fuzzy
