"""The lines of fiche T1.3 and the definition of each figure the review gives for it (DESIGN.md)."""

from ..i18n import _l
from ..stats import labels, voice
from ..stats.conversion import WINDOWS

SECTIONS = {
    "realisation": _l("Indicateurs de réalisation"),
    "resultat": _l("Indicateurs de résultat"),
    "impact": _l("Indicateurs d'impact"),
}

_CONVERSION_WITHIN = _l(
    "Cartes dont le premier enregistrement a eu lieu à une action de l'année et vues ensuite à l'accueil d'une "
    "structure dans les 30 jours ; une fois par carte ; les cartes connues d'abord à un accueil sont exclues ; "
    "une carte effacée depuis compte encore (sa conversion est gardée sans la carte).")



def _stats(key: str) -> tuple:
    """A line the statistics page also shows: its title and definition, from their one owner."""
    return key, labels.INDICATOR_TITLES[key], labels.DEFINITIONS[key]


# (section, line of the sheet, [(indicator key, label, definition)]) in the sheet's order.
SHEET = [
    ("realisation", _l("Mise en œuvre des formations"), [
        ("training_sessions", _l("Sessions de formation"),
         _l("Sessions de formation dont le premier jour tombe dans l'année (réunions du réseau à part).")),
        ("training_hours", _l("Heures de formation"),
         _l("Somme des durées des sessions (non multipliée par le nombre de participants).")),
        ("people_trained", _l("Personnes formées"),
         _l("Somme des participants inscrits aux sessions ; aucun nom n'est gardé : une personne venue à deux "
            "sessions compte deux fois.")),
        ("network_meetings", _l("Réunions du réseau des professionnels"),
         _l("Réunions du réseau intercommunal des professionnels qui vont vers les habitants.")),
    ]),
    ("realisation", _l("Retour des habitants après la réalisation de l'action"), [
        ("feedbacks", voice.TITLES["feedbacks"], voice.DEFINITIONS["feedbacks"]),
        ("feedback_rate", _l("Taux d'avis (avis ÷ participations, %)"), voice.DEFINITIONS["feedback_rate"]),
    ]),
    ("resultat", _l("Nombre d'actions, projets, ayant associé les habitants"), [
        _stats("actions"),
        ("actions_with_residents", _l("Actions ayant associé des habitants"),
         _l("Actions de l'année avec au moins une participation enregistrée.")),
    ]),
    ("resultat", _l("Nombre de participants"), [_stats(key) for key in ("participations", "reach", "distinct_cards")]),
    ("resultat", _l("Diversité des participants et nouveaux venus"), [
        _stats(key) for key in ("newcomers_declared", "newcomers_first_seen", "far_from_structures")]),
    ("resultat", _l("Nouvelle participation / inscription dans les structures ou dispositifs"), [
        *[(f"conversions_{days}", _l("Cartes venues dans une structure sous %(days)s jours", days=days),
           _CONVERSION_WITHIN if days == WINDOWS[0] else _l("Idem, dans les %(days)s jours.", days=days))
          for days in WINDOWS],
        ("conversions_oriented", _l("Nouvelles participations après une orientation (180 jours)"),
         _l("Paires carte × structure converties dans les 180 jours, précédées d'une orientation vers cette "
            "structure.")),
        ("conversions_without", _l("Nouvelles participations sans orientation (180 jours)"),
         _l("Paires carte × structure converties dans les 180 jours, sans orientation préalable vers cette "
            "structure.")),
        ("median_delay", _l("Délai médian avant la première visite (jours)"),
         _l("Médiane des délais entre le premier enregistrement et la première visite dans la structure, "
            "pour les conversions sous 180 jours.")),
        ("follow_through", _l("Taux de suite des orientations (%)"),
         _l("Parmi les orientations de personnes avec carte (une par carte et structure) dont le délai de "
            "90 jours est écoulé, part suivie d'une visite de la carte dans cette structure sous 90 jours.")),
    ]),
    ("impact", _l("Évolution des projets et des actions au regard des remontées des habitants et partenaires"), [
        ("contributions", voice.TITLES["contributions"], voice.DEFINITIONS["contributions"]),
        ("contributions_answered", voice.TITLES["answered"], voice.DEFINITIONS["answered"]),
        ("contributions_done", _l("Paroles devenues « réalisée »"),
         _l("Paroles des actions de l'année dont la suite est « réalisée » : le projet ou l'action demandé a été "
            "fait.")),
    ]),
    ("impact", _l("Appropriation et évolution des pratiques professionnelles vers les habitants"), [
        ("structures_trained", _l("Structures représentées aux formations et au réseau"),
         _l("Structures différentes nommées parmi les participants des sessions et réunions de l'année.")),
        ("person_hours", _l("Heures-personnes de formation"),
         _l("Somme, par session, de sa durée × ses participants.")),
    ]),
    ("impact", _l("Évolution des profils des publics fréquentant les structures"), [
        ("visitors", _l("Personnes accueillies dans les structures"),
         _l("Par mois et structure : cartes distinctes vues à l'accueil + visites sans carte ; sommées sur l'année.")),
        ("met_outside", _l("Dont rencontrées d'abord hors les murs"),
         _l("Cartes accueillies dont le premier enregistrement à une action précède leur première visite dans une "
            "structure ; par mois et structure, sommées sur l'année.")),
        ("met_outside_share", _l("Part des cartes accueillies rencontrées d'abord hors les murs (%)"),
         _l("Rencontrées d'abord hors les murs ÷ cartes accueillies (les visites sans carte ne peuvent pas être "
            "reliées).")),
    ]),
]

# Figures that are not counts of people: never suppressed as small counts, shown as they are.
NOT_COUNTS = {"training_hours", "median_delay", "follow_through", "met_outside_share", "person_hours",
              "feedback_rate"}
