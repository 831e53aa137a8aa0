"""Every string of the resident's orientation screens and slip exists in English and Arabic."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
RESIDENT_FILES = ["kiosk/orientation/resident.py", "templates/orientation/_ask.html",
                  "templates/orientation/_activities.html", "templates/orientation/_slip.html",
                  "templates/orientation/slip_print.html", "templates/orientation/includes/slip_card.html",
                  "templates/orientation/includes/after_checkin.html"]


def resident_msgids() -> set[str]:
    ids = set()
    for name in RESIDENT_FILES:
        method = "python" if name.endswith(".py") else "jinja2"
        for _line, message, _comments, _context in extract_from_file(method, ROOT / name):
            ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_resident_orientation_string_is_translated(lang):
    ids = resident_msgids()
    assert len(ids) > 15
    with open(ROOT / f"kiosk/translations/{lang}/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f, locale=lang)
    missing = [m for m in ids if not (catalog.get(m) and catalog.get(m).string and "fuzzy" not in catalog.get(m).flags)]
    assert missing == []
