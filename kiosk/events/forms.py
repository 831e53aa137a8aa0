from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..dates import year_problem
from ..i18n import INTERPRETER_LANGUAGES, _l


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EventForm(FlaskForm):
    title = StringField(
        _l("Titre"), validators=[DataRequired(_l("Donnez un titre à l'action.")), Length(max=160)]
    )
    theme = StringField(_l("Thème"), validators=[Length(max=80)],
                        description=_l("Par exemple : cadre de vie, santé, jeunesse."))
    place_label = StringField(_l("Lieu"), validators=[Length(max=160)],
                              description=_l("Par exemple : pied de l'immeuble 12, place du marché."))
    neighbourhood_id = SelectField(_l("Quartier"), coerce=int)
    structure_id = SelectField(_l("Structure porteuse"), coerce=int)
    starts_at = DateTimeLocalField(
        _l("Début"), format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Indiquez la date et l'heure de début."))],
    )
    ends_at = DateTimeLocalField(
        _l("Fin"), format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Indiquez la date et l'heure de fin."))],
    )
    partner_ids = CheckboxListField(
        _l("Structures partenaires"), coerce=int,
        description=_l("Leurs animateurs voient l'action, tiennent son kiosque et comptent les passages."))
    volunteer_ids = CheckboxListField(
        _l("Bénévoles"), coerce=int,
        description=_l("Ils ouvrent le kiosque de cette action et comptent les passages, rien de plus."))
    interpreter_languages = CheckboxListField(
        _l("Langues couvertes par un interprète sur place"),
        choices=list(INTERPRETER_LANGUAGES.items()),
    )
    childcare_offered = BooleanField(_l("Garde d'enfants proposée sur place"))
    express_mode = BooleanField(
        _l("Mode express : enregistrement en une touche, sans questions (affluence)")
    )

    def __init__(self, *args, neighbourhoods=(), structures=(), owners=None, volunteers=(), with_structure=True,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood_id.choices = [(0, _l("— Choisir un quartier —"))] + [
            (n.id, str(n)) for n in neighbourhoods
        ]
        owners = structures if owners is None else owners
        self.structure_id.choices = [(0, _l("— Aucune —"))] + [(s.id, s.name) for s in owners]
        self.partner_ids.choices = [(s.id, s.name) for s in structures]
        self.volunteer_ids.choices = [(u.id, u.name) for u in volunteers]
        if not with_structure:
            del self.structure_id

    def validate_neighbourhood_id(self, field):
        if not field.data and not field.errors:
            raise ValidationError(_l("Choisissez le quartier de l'action."))

    def validate_starts_at(self, field):
        if field.data and (problem := year_problem(field.data, " ".join(field.raw_data))):
            raise ValidationError(problem)

    def validate_ends_at(self, field):
        if field.data and (problem := year_problem(field.data, " ".join(field.raw_data))):
            raise ValidationError(problem)
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("La fin doit être après le début."))
