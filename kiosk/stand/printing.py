"""Multilingual lines for what is printed and pinned: posters and cards."""

from __future__ import annotations

from babel.core import UnknownLocaleError
from flask import current_app
from flask_babel import force_locale

from ..i18n import LANGUAGES, _l, force_language, text_direction
from ..models import Event
from .public_address import address_warning

POSTER_INVITATION = _l("Scannez ce code avec votre téléphone pour participer.")
POSTER_PRIVACY = _l("Sans nom ni inscription. Vous pouvez passer chaque question.")
CARD_KEEP = _l("Gardez cette carte et scannez-la la prochaine fois.")
CARDS_PER_PAGE = 10
MAX_CARDS = 200


def in_languages(message, languages) -> list[dict]:
    """Render one marked phrase in French, then in each language that has a translation.

    A language without a catalogue (or without this phrase) is skipped rather than showing
    French twice; a code Babel does not know (LSF) is skipped too.
    """
    with force_locale("fr"):
        french = str(message)
    lines = [{"lang": "fr", "dir": "ltr", "text": french}]
    for code in dict.fromkeys(languages):
        if code == "fr":
            continue
        try:
            with force_language(code):
                text = str(message)
        except (UnknownLocaleError, ValueError):
            continue
        if text and text != french:
            lines.append({"lang": code, "dir": text_direction(code), "text": text})
    return lines


def self_checkin_url(event: Event) -> str:
    """The address the poster's QR code points to: the resident's own phone checks in there."""
    return f"{current_app.config['PUBLIC_URL']}/e/{event.code}"


def public_url_warning() -> str | None:
    """Why the poster's address would not open on residents' phones, or None."""
    return address_warning(current_app.config["PUBLIC_URL"])


def poster_density(title: str, languages: int) -> int:
    """How much the printed poster must shrink (0 to 2) so its lines stay on one A4 page.

    Each language adds two lines and a long title wraps to three or four: both are known
    here, so print CSS picks smaller type and a smaller code instead of cutting the bottom.
    """
    load = languages + (len(title) > 50) * 2 + (len(title) > 100) * 2
    return 0 if load <= 4 else 1 if load <= 7 else 2


def poster_lines(event: Event) -> dict[str, list[dict]]:
    return {
        "invitation": in_languages(POSTER_INVITATION, event.language_codes),
        "privacy": in_languages(POSTER_PRIVACY, event.language_codes),
    }


def card_languages(event: Event) -> list[str]:
    """Cards travel between events: the kiosk's languages first, then this event's."""
    return list(dict.fromkeys([*LANGUAGES, *event.language_codes]))


def card_count(raw: str | None, default: int = CARDS_PER_PAGE) -> int:
    """Read the number of cards asked for, kept between 1 and MAX_CARDS."""
    try:
        value = int(raw) if raw else default
    except ValueError:
        value = default
    return max(1, min(MAX_CARDS, value))
