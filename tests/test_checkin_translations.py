"""Every string of the resident's screens exists in English and Arabic."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("**.py", "python"), ("**.html", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2)}


def kiosk_msgids() -> set[str]:
    ids = set()
    for folder in ("kiosk/checkin", "templates/checkin"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / folder, METHODS, keywords=KEYWORDS):
            ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def test_the_kiosk_has_strings_to_translate():
    assert len(kiosk_msgids()) > 80


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_kiosk_string_is_translated(lang):
    with open(ROOT / f"kiosk/translations/{lang}/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f, locale=lang)
    missing = []
    for msgid in kiosk_msgids():
        message = catalog.get(msgid)
        strings = message.string if message and isinstance(message.string, tuple) else (
            [message.string] if message else [])
        if not message or "fuzzy" in message.flags or not all(strings):
            missing.append(msgid)
    assert missing == []
