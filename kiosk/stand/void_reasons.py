"""The usual reasons to void a check-in, offered as one-tap choices."""

from ..i18n import _l

VOID_REASONS = {
    "duplicate": _l("Enregistré deux fois"),
    "test": _l("Essai du kiosque"),
    "mistake": _l("Erreur de saisie"),
}
OTHER = "other"


def void_reason_from_form(form) -> str:
    """Turn the chosen reason (or the text typed for "other") into the stored reason."""
    choice = form.get("reason", "")
    if choice in VOID_REASONS:
        return str(VOID_REASONS[choice])
    if choice == OTHER:
        return form.get("other_reason", "").strip()
    return ""
