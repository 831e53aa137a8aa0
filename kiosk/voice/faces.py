"""The three faces of the feedback: drawn like the kiosk's pictograms, labelled, read aloud."""

from markupsafe import Markup

from ..i18n import _l

_MOUTHS = {
    "good": '<path d="M8 14.5c1 1.6 2.4 2.4 4 2.4s3-.8 4-2.4"/>',
    "ok": '<path d="M8.5 15.5h7"/>',
    "bad": '<path d="M8 16.5c1-1.6 2.4-2.4 4-2.4s3 .8 4 2.4"/>',
}
_FACE = ('<svg class="icon face face-{name}" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
         '<circle cx="12" cy="12" r="9"/><path d="M9 9.5h.01M15 9.5h.01"/>{mouth}</svg>')
FACES = {name: Markup(_FACE.format(name=name, mouth=mouth)) for name, mouth in _MOUTHS.items()}
# Said in the positive, each face with its word (FALC: no negative questions, a word per picture).
FACE_LABELS = {"good": _l("Bien"), "ok": _l("Moyen"), "bad": _l("Pas bien")}


def face(name: str) -> Markup:
    return FACES.get(name, FACES["ok"])
