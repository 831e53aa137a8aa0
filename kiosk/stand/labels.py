"""Staff-facing labels of the answers, in French through Flask-Babel."""

from ..i18n import INTERPRETER_LANGUAGES, _l
from ..stats.indicators import NOT_ASKED

SKIPPED = _l("Passé")
NOT_ASKED_LABEL = _l("Non demandé")

CHANNELS = {
    "camera": _l("Caméra de la tablette"),
    "scanner": _l("Lecteur de codes"),
    "keypad": _l("Code tapé"),
    "phone": _l("Téléphone de l'habitant"),
    "nocard": _l("Sans carte"),
    "express": _l("Express"),
}
AGE_BANDS = {
    "under_18": _l("Moins de 18 ans"),
    "18_25": _l("18-25 ans"),
    "26_40": _l("26-40 ans"),
    "41_60": _l("41-60 ans"),
    "61_75": _l("61-75 ans"),
    "over_75": _l("Plus de 75 ans"),
}
HEARD_FROM = {
    "passing_by": _l("En passant"),
    "word_of_mouth": _l("Bouche à oreille"),
    "poster": _l("Affiche"),
    "structure": _l("Une structure"),
    "school": _l("L'école"),
    "social_media": _l("Réseaux sociaux"),
    "other": _l("Autre"),
}
FIRST_TIME = {"yes": _l("Première fois"), "no": _l("Déjà venu")}
GOES_TO_STRUCTURE = {"yes": _l("Fréquente une structure"), "no": _l("Loin des structures")}
CHILD_AGE_BANDS = {"0_2": _l("0-2 ans"), "3_5": _l("3-5 ans"), "6_11": _l("6-11 ans"), "12_plus": _l("12 ans et plus")}
RESIDENCE_OTHER = _l("Hors quartiers de la liste")

VOCABULARIES = {
    "channel": CHANNELS, "age_band": AGE_BANDS, "heard_from": HEARD_FROM,
    "first_time": FIRST_TIME, "goes_to_structure": GOES_TO_STRUCTURE,
}


def answer_label(dimension: str, value: str | None) -> str:
    """Label one answer of one question; skipped and not asked are told apart."""
    if value in (None, "", NOT_ASKED):
        return str(NOT_ASKED_LABEL)
    if value == "skip":
        return str(SKIPPED)
    if dimension in ("interpreter_language", "language"):
        return INTERPRETER_LANGUAGES.get(value, value)
    return str(VOCABULARIES.get(dimension, {}).get(value, value))


def residence_label(key: str, names: dict[int, str]) -> str:
    """Label a residence key of the indicators: "n<id>", "other", "skip" or not asked."""
    if key.startswith("n") and key[1:].isdigit():
        return names.get(int(key[1:]), key)
    if key == "other":
        return str(RESIDENCE_OTHER)
    return answer_label("residence", key)


def checkin_summary(c) -> str:
    """One check-in's answers in a few words: what the animateur may see, never more."""
    from ..i18n import _, ngettext

    parts = []
    if c.first_seen:
        parts.append(_("1re carte"))
    if c.first_time in FIRST_TIME:
        parts.append(str(FIRST_TIME[c.first_time]).lower())
    if c.age_band in AGE_BANDS:
        parts.append(str(AGE_BANDS[c.age_band]))
    if c.residence == "neighbourhood" and c.residence_neighbourhood is not None:
        parts.append(c.residence_neighbourhood.name)
    elif c.residence == "other":
        parts.append(str(RESIDENCE_OTHER).lower())
    if c.goes_to_structure == "no":
        parts.append(str(GOES_TO_STRUCTURE["no"]).lower())
    if c.childcare_children:
        parts.append(ngettext("%(num)s enfant", "%(num)s enfants", c.childcare_children))
    if c.interpreter_language:
        parts.append(_("interprète %(lang)s", lang=answer_label("interpreter_language", c.interpreter_language)))
    if c.accessibility:
        parts.append(_("accessibilité"))
    return " · ".join(parts) if parts else _("sans réponse")


def template_labels() -> dict:
    """What the stand's templates use to name answers."""
    return {"checkin_summary": checkin_summary, "channel_labels": CHANNELS,
            "language_names": INTERPRETER_LANGUAGES, "child_age_labels": CHILD_AGE_BANDS}
