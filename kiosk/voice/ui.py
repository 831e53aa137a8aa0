"""Words the staff pages and exports show for this area's values."""

from ..i18n import _l

STATUS_LABELS = {
    "received": _l("reçue"),
    "transmitted": _l("transmise"),
    "in_progress": _l("en cours"),
    "done": _l("réalisée"),
    "not_possible": _l("pas possible"),
    "already_planned": _l("déjà prévue"),
}
# What a resident reads on the public page and their phone: plain words.
PUBLIC_STATUS_LABELS = {
    "received": _l("Reçu. L'équipe lit chaque message."),
    "transmitted": _l("Transmis à un partenaire."),
    "in_progress": _l("En cours."),
    "done": _l("C'est fait."),
    "not_possible": _l("Ce n'est pas possible."),
    "already_planned": _l("C'était déjà prévu."),
}
CHANNEL_LABELS = {"kiosk": _l("tablette"), "phone": _l("téléphone"), "animateur": _l("animateur")}
RATING_LABELS = {"good": _l("Bien"), "ok": _l("Moyen"), "bad": _l("Pas bien")}
FLAG_LABELS = {"phone": _l("numéro de téléphone ?"), "email": _l("adresse e-mail ?"), "address": _l("adresse ?")}
STAFF_REFUSALS = {
    "bad_rating": _l("Choisissez un des visages."),
    "unknown_topic": _l("Choisissez un sujet de l'action."),
    "empty": _l("Écrivez ce que la personne a dit."),
    "too_long": _l("500 caractères au plus."),
    "unknown_card": _l("Ce code de carte n'existe pas. Vérifiez-le ou laissez le champ vide."),
    "already": _l("C'est déjà enregistré."),
    "closed": _l("L'action n'est pas ouverte : rien n'est enregistré."),
    "stale": _l("Ce formulaire n'est plus valable : rechargez la page."),
}
ACTION_LABELS = {
    "status": _l("statut"),
    "assign": _l("confiée"),
    "transcribe": _l("transcrite"),
    "answer": _l("réponse écrite"),
    "publish": _l("publiée"),
    "unpublish": _l("retirée de la page publique"),
    "audio_purged": _l("message vocal supprimé"),
    "forgotten": _l("texte effacé (durée de conservation)"),
}
