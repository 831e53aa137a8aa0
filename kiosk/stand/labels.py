"""How the stand names answers: the statistics' vocabulary, plus a one-line summary."""

from ..i18n import INTERPRETER_LANGUAGES, _, _l, ngettext
from ..stats.labels import VOCABULARY, answer_label

CHILD_AGE_BANDS = {"0_2": _l("0-2 ans"), "3_5": _l("3-5 ans"), "6_11": _l("6-11 ans"), "12_plus": _l("12 ans et plus")}


def checkin_summary(c) -> str:
    """One check-in's answers in a few words: what the animateur may see, never more."""
    parts = []
    if c.first_seen:
        parts.append(_("1re carte"))
    if c.first_time in ("yes", "no"):
        parts.append(answer_label("first_time", c.first_time))
    if c.age_band in VOCABULARY["age_band"]:
        parts.append(answer_label("age_band", c.age_band))
    if c.residence == "neighbourhood" and c.residence_neighbourhood is not None:
        parts.append(c.residence_neighbourhood.name)
    elif c.residence == "other":
        parts.append(answer_label("residence", "other"))
    if c.goes_to_structure == "no":
        parts.append(answer_label("goes_to_structure", "no"))
    if c.childcare_children:
        parts.append(ngettext("%(num)s enfant", "%(num)s enfants", c.childcare_children))
    if c.interpreter_language:
        parts.append(_("interprète %(lang)s", lang=answer_label("interpreter_language", c.interpreter_language)))
    if c.accessibility:
        parts.append(_("accessibilité"))
    if c.companions:
        parts.append(ngettext("+%(num)s accompagnant", "+%(num)s accompagnants", c.companions))
    return " · ".join(parts) if parts else _("sans réponse")


def template_labels() -> dict:
    """What the stand's templates use to name answers."""
    return {"checkin_summary": checkin_summary, "channel_labels": VOCABULARY["channel"],
            "language_names": INTERPRETER_LANGUAGES, "child_age_labels": CHILD_AGE_BANDS}
