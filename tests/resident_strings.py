"""The resident-facing French strings: every msgid a resident reads on a screen or on paper.

Kiosk and phone flow, privacy notice, confirmation, poster and card lines, orientation slip,
voice screens and the public "you said, we did" pages. Files mix staff lines in a few places
(the stand's poster page has its print buttons): those are listed in STAFF_LINES.
"""

from pathlib import Path

from babel.messages.extract import extract_from_file

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2)}
RESIDENT_FILES = [
    "kiosk/checkin/questions.py", "kiosk/checkin/context.py", "kiosk/checkin/phone.py",
    "kiosk/checkin/routes.py",
    "templates/checkin/_done.html", "templates/checkin/_problem.html", "templates/checkin/_privacy.html",
    "templates/checkin/base.html", "templates/checkin/includes/flow_part.html",
    "templates/checkin/includes/privacy_notice.html", "templates/checkin/includes/say.html",
    "kiosk/stand/printing.py", "templates/stand/poster.html",
    "kiosk/orientation/resident.py", "templates/orientation/_ask.html",
    "templates/orientation/_activities.html", "templates/orientation/_slip.html",
    "templates/orientation/slip_print.html", "templates/orientation/includes/slip_card.html",
    "templates/orientation/includes/after_checkin.html",
    "kiosk/voice/resident.py", "kiosk/voice/faces.py", "kiosk/voice/topics.py",
    "templates/voice/_after.html", "templates/voice/_record.html", "templates/voice/_say.html",
    "templates/voice/_thanks.html", "templates/voice/_topics.html",
    "templates/voice/includes/after_checkin.html", "templates/voice/public_base.html",
    "templates/voice/public.html", "templates/voice/public_index.html", "templates/voice/card_status.html",
    "templates/voice/includes/published.html", "templates/voice/poster.html",
]
# Lines of those files that only the staff reads (buttons of the print pages, the kiosk's lock).
STAFF_LINES = {
    "Retour au direct", "Imprimer l'affiche", "Affiche", "Affiche à imprimer", "Animateur",
}
# kiosk/voice/ui.py is the staff's words but for what a resident reads of their message's state.
PUBLIC_STATUS_LINES = {
    "Reçu. L'équipe lit chaque message.", "Transmis à un partenaire.", "En cours.", "C'est fait.",
    "Ce n'est pas possible.", "C'était déjà prévu.",
}


def resident_msgids() -> set[str]:
    """Return the French source of every resident-facing string (both forms of a plural)."""
    ids: set[str] = set()
    for name in RESIDENT_FILES:
        method = "python" if name.endswith(".py") else "jinja2"
        for _line, message, _comments, _context in extract_from_file(method, ROOT / name, keywords=KEYWORDS):
            ids.update(message if isinstance(message, tuple) else (message,))
    return (ids - STAFF_LINES) | PUBLIC_STATUS_LINES
