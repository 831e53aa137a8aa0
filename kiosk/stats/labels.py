"""French labels of the answer vocabularies and indicators, in one place for page and exports."""

from ..i18n import INTERPRETER_LANGUAGES, LANGUAGES, _l
from ..models import AGE_BANDS, CHANNELS, FIRST_TIME, GENDERS, HEARD_FROM, YES_NO

ANSWERS = {
    "skip": _l("Passé (sans réponse)"),
    "not_asked": _l("Non demandé"),
    "yes": _l("Oui"),
    "no": _l("Non"),
}

VOCABULARY = {
    "first_time": {"yes": _l("Première fois"), "no": _l("Déjà venu·e")},
    "age_band": {
        "under_18": _l("Moins de 18 ans"), "18_25": _l("18-25 ans"), "26_40": _l("26-40 ans"),
        "41_60": _l("41-60 ans"), "61_75": _l("61-75 ans"), "over_75": _l("Plus de 75 ans"),
    },
    "gender": {"woman": _l("Femme"), "man": _l("Homme"), "other": _l("Autre")},
    "goes_to_structure": {"yes": _l("Fréquente une structure"), "no": _l("Ne fréquente aucune structure")},
    "heard_from": {
        "passing_by": _l("En passant"), "word_of_mouth": _l("Bouche-à-oreille"), "poster": _l("Affiche"),
        "structure": _l("Par une structure"), "school": _l("Par l'école"), "social_media": _l("Réseaux sociaux"),
        "other": _l("Autre"),
    },
    "channel": {
        "camera": _l("Carte lue par la caméra"), "scanner": _l("Carte lue par un lecteur"),
        "keypad": _l("Code tapé"), "phone": _l("Téléphone du participant"), "nocard": _l("Sans carte"),
        "express": _l("Mode express"),
    },
    "residence": {"other": _l("Hors des quartiers suivis"), "neighbourhood": _l("Quartier non précisé")},
    "language": dict(LANGUAGES),
    # The kiosk stores "skip" when a resident asked for an interpreter but not for a language.
    "interpreter_language": {**INTERPRETER_LANGUAGES, "skip": _l("Langue non précisée")},
}

# The order rows are shown in: the vocabulary first, so empty answers still get a row.
ORDER = {
    "first_time": list(FIRST_TIME) + ["not_asked"],
    "age_band": list(AGE_BANDS) + ["not_asked"],
    "gender": list(GENDERS) + ["not_asked"],
    "goes_to_structure": list(YES_NO) + ["not_asked"],
    "heard_from": list(HEARD_FROM) + ["not_asked"],
    "channel": list(CHANNELS),
    "language": list(LANGUAGES),
    "interpreter_language": [],
    "residence": [],
}

DIMENSION_TITLES = {
    "first_time": _l("Nouveaux venus déclarés (première participation)"),
    "residence": _l("Quartier de résidence"),
    "age_band": _l("Tranche d'âge"),
    "gender": _l("Genre"),
    "goes_to_structure": _l("Fréquentation d'une structure"),
    "heard_from": _l("Comment la personne a connu l'action"),
    "channel": _l("Canal d'enregistrement"),
    "language": _l("Langue de la borne"),
    "interpreter_language": _l("Besoin d'interprète, par langue"),
}

# Spreadsheet tabs hold 31 characters: short names for the XLSX sheets.
SHEET_NAMES = {
    "first_time": _l("Nouveaux venus déclarés"),
    "residence": _l("Quartier de résidence"),
    "age_band": _l("Tranche d'âge"),
    "gender": _l("Genre"),
    "goes_to_structure": _l("Fréquente une structure"),
    "heard_from": _l("Connu par"),
    "channel": _l("Canal"),
    "language": _l("Langue de la borne"),
    "interpreter_language": _l("Interprète par langue"),
    "evolution": _l("Évolution mensuelle"),
}

INDICATOR_TITLES = {
    "actions": _l("Actions"),
    "participations": _l("Participations"),
    "tallies": _l("Passages non enregistrés"),
    "companions": _l("Accompagnants"),
    "reach": _l("Personnes touchées (participations + passages + accompagnants)"),
    "distinct_cards": _l("Cartes distinctes"),
    "newcomers_declared": _l("Nouveaux venus déclarés"),
    "newcomers_first_seen": _l("Nouveaux venus, première carte"),
    "far_from_structures": _l("Éloignés des structures"),
    "returns": _l("Retours sous 90 jours"),
    "childcare_participations": _l("Participations avec garde d'enfants"),
    "children": _l("Enfants à garder"),
    "interpreting": _l("Besoin d'interprète"),
    "accessibility": _l("Besoin d'accessibilité"),
}

DEFINITIONS = {
    "actions": _l("Actions hors les murs (hors brouillons) dont le début tombe dans la période."),
    "participations": _l("Un enregistrement d'une personne à une action ; une carte scannée deux fois "
                         "à la même action compte une fois ; les enregistrements annulés sont exclus."),
    "tallies": _l("Personnes rencontrées sur le stand sans passer par la borne, comptées par l'animateur ; "
                  "elles n'ont aucune donnée de profil."),
    "companions": _l("Personnes venues avec un habitant qui s'enregistre, sans s'enregistrer elles-mêmes ; "
                     "un nombre déclaré à l'enregistrement, jamais une participation, sans aucun profil."),
    "reach": _l("Participations + passages non enregistrés + accompagnants."),
    "distinct_cards": _l("Nombre de cartes différentes parmi les participations."),
    "newcomers_declared": _l("La personne a répondu « première fois » à la question posée."),
    "newcomers_first_seen": _l("Premier enregistrement d'une carte ; un enregistrement sans carte "
                               "n'est jamais compté ici."),
    "far_from_structures": _l("La personne déclare ne fréquenter aucun centre social, association "
                              "ou instance de participation."),
    "returns": _l("Carte vue pour la première fois dans la sélection, revenue à une autre action "
                  "dans les 90 jours."),
    "childcare_participations": _l("Participations avec un besoin de garde (nombre d'enfants à côté)."),
    "children": _l("Nombre total d'enfants à garder déclarés."),
    "interpreting": _l("Participations avec un besoin d'interprète (par langue dans le tableau dédié)."),
    "accessibility": _l("Participations avec un besoin d'accessibilité."),
}


def answer_label(dimension: str, key: str, neighbourhood_names: dict[int, str] | None = None) -> str:
    """Return the French label of one answer of one dimension."""
    if dimension == "residence" and key.startswith("n") and key[1:].isdigit():
        return (neighbourhood_names or {}).get(int(key[1:]), key)
    label = VOCABULARY.get(dimension, {}).get(key) or ANSWERS.get(key)
    return str(label) if label else key
