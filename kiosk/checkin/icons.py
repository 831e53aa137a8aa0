"""Simple line pictograms drawn for the kiosk: inline SVG, no icon font, nothing downloaded."""

from markupsafe import Markup

from . import bp

PATHS = {
    "card": (
        '<rect x="2.5" y="5" width="19" height="14" rx="2"/>'
        '<rect x="5" y="8" width="5" height="5"/><path d="M13 9h6M13 12h6M5 16h14"/>'
    ),
    "new": (
        '<path d="M12 3v4M12 17v4M3 12h4M17 12h4M5.6 5.6l2.8'
        ' 2.8M15.6 15.6l2.8 2.8M5.6 18.4l2.8-2.8M15.6 8.4l2.8-2.8"/>'
    ),
    "star": '<path d="M12 3l2.8 5.8 6.2.9-4.5 4.4 1.1 6.2L12 17.4 6.4 20.3l1.1-6.2L3 9.7l6.2-.9z"/>',
    "repeat": '<path d="M4 11a8 8 0 0 1 14-5l2 2M20 4v4h-4M20 13a8 8 0 0 1-14 5l-2-2M4 20v-4h4"/>',
    "age": '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>',
    "person": '<circle cx="12" cy="7" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"/>',
    "yes": '<path d="M4 12.5l5 5L20 6.5"/>',
    "no": '<path d="M6 6l12 12M18 6L6 18"/>',
    "walk": '<circle cx="13" cy="4" r="2"/><path d="M10 21l2-6 3 3v3M8 12l3-4 4 2 2 3M11 8l-1 5"/>',
    "speech": '<path d="M4 5h16v11H10l-5 4v-4H4z"/><path d="M8 9h8M8 12h5"/>',
    "poster": '<rect x="5" y="3" width="14" height="18" rx="1"/><path d="M8 7h8M8 11h8M8 15h5"/>',
    "house": '<path d="M3 11l9-7 9 7M5 10v10h14V10M10 20v-6h4v6"/>',
    "school": '<path d="M2 9l10-5 10 5-10 5z"/><path d="M6 11v5c0 1.5 2.7 3 6 3s6-1.5 6-3v-5"/>',
    "phone": '<rect x="7" y="2.5" width="10" height="19" rx="2"/><path d="M11 18h2"/>',
    "dots": '<circle cx="5" cy="12" r="1.5"/><circle cx="12" cy="12" r="1.5"/><circle cx="19" cy="12" r="1.5"/>',
    "child": '<circle cx="12" cy="6" r="3"/><path d="M7 12l5-2 5 2M12 10v6M9 21l3-5 3 5"/>',
    "access": '<circle cx="12" cy="4" r="2"/><path d="M12 7v7h5l2 6M8 10a6 6 0 1 0 7.5 8"/>',
    "scan": '<path d="M3 8V4h4M17 4h4v4M21 16v4h-4M7 20H3v-4"/><rect x="7" y="7" width="10" height="10"/>',
    "map": '<path d="M12 21s-7-6.2-7-11a7 7 0 0 1 14 0c0 4.8-7 11-7 11z"/><circle cx="12" cy="10" r="2.5"/>',
    "globe": (
        '<circle cx="12" cy="12" r="9"/>'
        '<path d="M3 12h18M12 3c2.5 2.5 3.8 5.5 3.8 9s-1.3 6.5-3.8 9c-2.5-2.5-3.8-5.5-3.8-9S9.5 5.5 12 3z"/>'
    ),
    "camera": '<path d="M3 8h4l2-3h6l2 3h4v12H3z"/><circle cx="12" cy="13" r="4"/>',
    "keypad": (
        '<rect x="3" y="3" width="18" height="18" rx="2"/>'
        '<path d="M8 8h.01M12 8h.01M16 8h.01M8 12h.01M12 12h.01M16 12h.01M8 16h8"/>'
    ),
    "speaker": '<path d="M4 9h4l5-4v14l-5-4H4z"/><path d="M16 9a4 4 0 0 1 0 6M18.5 6.5a8 8 0 0 1 0 11"/>',
    "shield": '<path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z"/><path d="M12 8v5M12 16h.01"/>',
    "home": '<path d="M3 11l9-7 9 7M6 9.5V20h12V9.5"/>',
    "lock": '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/>',
    "skip": '<path d="M5 6l7 6-7 6M13 6l7 6-7 6"/>',
    "back": '<path d="M15 5l-7 7 7 7"/>',
    "done": '<circle cx="12" cy="12" r="9"/><path d="M7.5 12.5l3 3 6-6.5"/>',
    "info": '<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7.5h.01"/>',
}
_SVG = '<svg class="icon{flip}" viewBox="0 0 24 24" aria-hidden="true" focusable="false">{paths}</svg>'
# Built once: a kiosk screen draws a dozen of them on every request.
ICONS = {name: Markup(_SVG.format(flip="", paths=paths)) for name, paths in PATHS.items()}
FLIPPED = {name: Markup(_SVG.format(flip=" flip", paths=paths)) for name, paths in PATHS.items()}


@bp.app_template_global()
def kiosk_icon(name: str, flip: bool = False) -> Markup:
    """Return the pictogram's SVG; ``flip`` mirrors arrows in right-to-left languages."""
    return (FLIPPED if flip else ICONS).get(name, ICONS["dots"])
