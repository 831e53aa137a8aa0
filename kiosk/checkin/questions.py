"""What each kiosk screen asks and offers, in French (the source language of the catalogues)."""

from collections.abc import Iterable

from ..i18n import INTERPRETER_LANGUAGES, _l
from ..models import Event, Neighbourhood
from .icons import place_pictogram
from .snapshots import EventSnapshot, NeighbourhoodSnapshot

TITLES = {
    "first_time": _l("Venez-vous pour la première fois à un stand comme celui-ci ?"),
    "residence": _l("Dans quel quartier habitez-vous ?"),
    "age_band": _l("Quel âge avez-vous ?"),
    "gender": _l("Vous êtes :"),
    "goes_to_structure": _l("Allez-vous dans un centre social, une association ou un conseil citoyen ?"),
    "heard_from": _l("Comment avez-vous connu ce stand ?"),
    "needs": _l("Avez-vous besoin d'aide aujourd'hui ?"),
    "children": _l("Combien d'enfants faut-il garder ?"),
    "child_ages": _l("Quel âge ont les enfants ?"),
    "interpreter": _l("Un interprète dans quelle langue ?"),
    "card_offer": _l("Voulez-vous une carte pour qu'on vous reconnaisse la prochaine fois ?"),
}

HINTS = {
    "needs": _l("Touchez tout ce qui vous aide, puis « Valider »."),
    "child_ages": _l("Touchez tous les âges, puis « Valider »."),
    "card_offer": _l("La carte porte seulement un code. Pas de nom, pas de téléphone."),
}

# (value, label, icon) for each answer; "Passer" is added to every screen by the template.
OPTIONS = {
    "first_time": [
        ("yes", _l("Oui, c'est la première fois"), "star"),
        ("no", _l("Non, j'ai déjà participé"), "repeat"),
    ],
    "age_band": [
        ("under_18", _l("Moins de 18 ans"), "age-under-18"),
        ("18_25", _l("18 à 25 ans"), "age-18-25"),
        ("26_40", _l("26 à 40 ans"), "age-26-40"),
        ("41_60", _l("41 à 60 ans"), "age-41-60"),
        ("61_75", _l("61 à 75 ans"), "age-61-75"),
        ("over_75", _l("Plus de 75 ans"), "age-over-75"),
    ],
    "gender": [
        ("woman", _l("Une femme"), "woman"),
        ("man", _l("Un homme"), "man"),
        ("other", _l("Autre"), "person"),
    ],
    "goes_to_structure": [
        ("yes", _l("Oui"), "yes"),
        ("no", _l("Non"), "no"),
    ],
    "heard_from": [
        ("passing_by", _l("En passant"), "walk"),
        ("word_of_mouth", _l("Par quelqu'un que je connais"), "word-of-mouth"),
        ("poster", _l("Par une affiche"), "poster"),
        ("structure", _l("Par un centre social ou une association"), "house"),
        ("school", _l("Par l'école"), "school"),
        ("social_media", _l("Par les réseaux sociaux"), "social-media"),
        ("other", _l("Autrement"), "dots"),
    ],
    "needs": [
        ("childcare", _l("Garde d'enfants"), "childcare"),
        ("interpreter", _l("Un interprète"), "interpreter"),
        ("accessibility", _l("Un accès adapté : fauteuil, vue, audition"), "access"),
    ],
    "children": [(str(n), str(n), f"number-{n}") for n in range(1, 6)] + [("6", _l("6 ou plus"), "many")],
    "child_ages": [
        ("0_2", _l("0 à 2 ans"), "child-0-2"),
        ("3_5", _l("3 à 5 ans"), "child-3-5"),
        ("6_11", _l("6 à 11 ans"), "child-6-11"),
        ("12_plus", _l("12 ans et plus"), "child-12-plus"),
    ],
    "card_offer": [
        ("yes", _l("Oui, montrez-moi ma carte"), "card"),
        ("link", _l("Oui, j'ai pris une carte au stand"), "scan"),
        ("no", _l("Non merci"), "no"),
    ],
}

MULTI = {"needs", "child_ages"}

# Asked on the needs screen, so that a known card still checks in in 2 taps (issue 15).
COMPANIONS_TITLE = _l("Combien de personnes sont avec vous ?")
COMPANIONS_HINT = _l("Des enfants ou des proches qui ne répondent pas ici.")
COMPANIONS_NONE = _l("Personne d'autre")
COMPANION_OPTIONS = [("0", COMPANIONS_NONE, "nobody-else")] + [
    (str(n), str(n), f"number-{n}") for n in range(1, 6)] + [("6", _l("6 ou plus"), "many")]
SKIP_ALL = _l("Passer toutes les questions")
# issue 15: fewer taps. A newcomer says so on the start screen; the children are counted on the
# needs screen, one tap a child on its age; the interpreter's language starts as the resident's own.
FIRST_TIME_HERE = _l("Je viens pour la première fois")
CHILDREN_HINT = _l("Touchez l'âge de chaque enfant à garder.")
CHILD_LESS = _l("Un enfant de moins")
INTERPRETER_LANGUAGE = _l("Langue de l'interprète :")
CHOOSE_LANGUAGE = _l("Choisir la langue")
# The interpreter's language a resident reading the kiosk in a language most likely needs.
INTERPRETER_FOR_KIOSK_LANGUAGE = {"prs": "fa"}
LARGE_TEXT = _l("Agrandir le texte")
READ_ALOUD = _l("Écouter la question et les réponses")


def residence_options(
    neighbourhoods: Iterable[Neighbourhood | NeighbourhoodSnapshot],
) -> list[tuple[str, str, str]]:
    return [(f"n:{n.id}", n.name, place_pictogram(i)) for i, n in enumerate(neighbourhoods)] + [
        ("other", _l("Un autre quartier"), "map")
    ]


def interpreter_default(lang: str) -> str | None:
    """The interpreter's language offered first to a resident reading the kiosk in ``lang``."""
    code = INTERPRETER_FOR_KIOSK_LANGUAGE.get(lang, lang)
    return code if code in INTERPRETER_LANGUAGES else None


def interpreter_options(event: Event | EventSnapshot) -> list[tuple[str, str, str]]:
    """Languages of the interpreters on site first, then every other one."""
    on_site = [c for c in event.language_codes if c in INTERPRETER_LANGUAGES]
    rest = [c for c in INTERPRETER_LANGUAGES if c not in on_site]
    return [(c, INTERPRETER_LANGUAGES[c], SCRIPT_SAMPLES.get(c, "interpreter")) for c in on_site + rest]


# A letter typical of each language's writing, in the pictogram's place: languages differ by
# their script, and a flag would say an origin, which the kiosk never asks.
SCRIPT_SAMPLES = {
    "ar": "glyph:ع", "en": "glyph:Aa", "tr": "glyph:Ğ", "ru": "glyph:Я", "uk": "glyph:Ї", "ps": "glyph:ښ",
    "fa": "glyph:گ", "so": "glyph:Dh", "ti": "glyph:ሀ", "es": "glyph:Ñ", "pt": "glyph:Ã", "ro": "glyph:Ș",
    "sq": "glyph:Ë", "zh": "glyph:中", "lsf": "sign-language",
}
