"""French labels of the reception's vocabularies, for its screen and the indicators."""

from ..i18n import _l
from ..stats.labels import VOCABULARY

VISIT_KIND_LABELS = {
    "first_contact": _l("Premier contact"),
    "registration": _l("Inscription à une activité"),
    "participation": _l("Participation à une activité"),
}


def template_labels() -> dict:
    return {"visit_kinds": VISIT_KIND_LABELS, "age_labels": VOCABULARY["age_band"],
            "gender_labels": VOCABULARY["gender"]}
