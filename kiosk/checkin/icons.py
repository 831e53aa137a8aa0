"""The kiosk's pictograms: one set (Tabler Icons, MIT licence), served as one SVG sprite.

Every screen of every language is in the one-page flow, so each pictogram is a
``<use href="…/pictograms.<hash>.svg#name">`` of a few bytes rather than its drawing
inlined in each language's part; the sprite is one file a browser keeps a year
(kiosk.static_files). ``make install`` builds it from the npm package (``write_sprite``).
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import url_for
from markupsafe import Markup, escape

from . import bp

SPRITE = "vendor/pictograms.svg"
# Our name -> the Tabler icon drawn for it. Answers of one question never share a pictogram.
PICTOGRAMS: dict[str, str] = {
    # the kiosk's own buttons and screens
    "card": "id", "new": "sparkles", "star": "star", "repeat": "repeat", "age": "calendar",
    "person": "user", "yes": "check", "no": "x", "walk": "walk", "speech": "message-circle",
    "poster": "news", "house": "building-community", "school": "school", "phone": "device-mobile",
    "dots": "dots", "child": "mood-kid", "access": "wheelchair", "scan": "scan", "map": "map-pin",
    "globe": "world", "camera": "camera", "keypad": "keyboard", "speaker": "volume",
    "shield": "shield-lock", "home": "home", "lock": "lock", "skip": "player-track-next",
    "back": "arrow-left", "done": "circle-check", "info": "info-circle", "text-size": "text-size",
    # age bands
    "age-under-18": "mood-kid", "age-18-25": "backpack", "age-26-40": "briefcase",
    "age-41-60": "users-group", "age-61-75": "armchair", "age-over-75": "old",
    # gender
    "woman": "woman", "man": "man",
    # how they heard
    "word-of-mouth": "messages", "social-media": "share",
    # needs
    "childcare": "baby-carriage", "interpreter": "language",
    # children's ages
    "child-0-2": "baby-bottle", "child-3-5": "horse-toy", "child-6-11": "ball-football",
    "child-12-plus": "device-gamepad-2",
    # counts (children, companions)
    **{f"number-{n}": f"number-{n}" for n in range(0, 10)},
    "many": "users-plus", "nobody-else": "user",
    # neighbourhoods: a distinct building each, in the order a coordinator lists them
    **{f"place-{i}": name for i, name in enumerate((
        "building-community", "building-skyscraper", "building-cottage", "building-estate",
        "home-2", "building-arch", "building-pavilion", "building", "building-store", "trees",
        "building-church", "building-bridge", "building-castle", "building-lighthouse",
        "building-factory", "building-monument"))},
    # a sign language interpreter
    "sign-language": "hand-stop",
}
PLACE_PICTOGRAMS = sum(1 for name in PICTOGRAMS if name.startswith("place-"))


def place_pictogram(position: int) -> str:
    """Return the pictogram of the neighbourhood at ``position`` in the list residents see."""
    return f"place-{position % PLACE_PICTOGRAMS}"


@bp.app_template_global()
def kiosk_icon(name: str, flip: bool = False) -> Markup:
    """Return the pictogram as an SVG using the sprite; ``flip`` mirrors arrows right to left.

    ``glyph:X`` draws the letter X in the pictogram's place (a language's script).
    """
    if name.startswith("glyph:"):
        return Markup('<span class="icon glyph" aria-hidden="true">{}</span>').format(name[6:])
    if name not in PICTOGRAMS:
        name = "dots"
    href = f"{url_for('static', filename=SPRITE)}#{name}"
    return Markup('<svg class="icon{}" aria-hidden="true" focusable="false"><use href="{}"/></svg>').format(
        " flip" if flip else "", escape(href))


_DRAWING = re.compile(r"<svg[^>]*>(?P<body>.*)</svg>", re.S)
_FRAME = re.compile(r'<path stroke="none" d="M0 0h24v24H0z" fill="none"\s*/>')


def build_sprite(source: Path) -> str:
    """Return the sprite: one ``<symbol>`` per name, drawn from Tabler's outline SVGs in ``source``."""
    symbols = []
    for name, icon in sorted(PICTOGRAMS.items()):
        drawing = _DRAWING.search((source / f"{icon}.svg").read_text(encoding="utf-8"))
        body = " ".join(_FRAME.sub("", drawing.group("body")).split())
        symbols.append(f'<symbol id="{name}" viewBox="0 0 24 24">{body}</symbol>')
    return ('<svg xmlns="http://www.w3.org/2000/svg">'
            "<!-- Tabler Icons (MIT licence, https://tabler.io/icons) -->" + "".join(symbols) + "</svg>\n")


def write_sprite(source: str, out: str) -> None:
    """Write the sprite built from ``source`` (Tabler's outline folder) to ``out``; run by make."""
    Path(out).write_text(build_sprite(Path(source)), encoding="utf-8")
