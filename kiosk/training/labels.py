from ..i18n import _l

SESSION_KIND_LABELS = {"training": _l("Formation"), "network": _l("Réunion du réseau")}
ROLE_LABELS = {
    "adulte_relais": _l("Adulte relais"), "mediateur": _l("Médiateur·rice"), "centre_social": _l("Centre social"),
    "bailleur": _l("Bailleur"), "ville": _l("Ville"), "association": _l("Association"), "autre": _l("Autre"),
}


def template_labels() -> dict:
    return {"session_kinds": SESSION_KIND_LABELS, "role_labels": ROLE_LABELS}
