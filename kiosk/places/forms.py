from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..i18n import _l
from ..models import STRUCTURE_KINDS
from .services import is_valid_qpv_code, normalise_qpv_code, qpv_code_taken, structure_name_taken

STRUCTURE_KIND_LABELS = {
    "centre_social": _l("Centre social"),
    "association": _l("Association"),
    "bailleur": _l("Bailleur social"),
    "service_ville": _l("Service de la ville"),
    "conseil_citoyen": _l("Conseil citoyen"),
    "autre": _l("Autre"),
}


class NeighbourhoodForm(FlaskForm):
    name = StringField(_l("Nom"), validators=[DataRequired(_l("Indiquez un nom.")), Length(max=120)])
    commune = StringField(_l("Commune"), validators=[Length(max=120)])
    code = StringField(
        _l("Code officiel QPV"),
        description=_l("« QN » suivi de 7 caractères, tel que publié par l'ANCT. Laissez vide s'il n'est pas connu."),
    )
    is_qpv = BooleanField(_l("Quartier prioritaire (QPV)"), default=True)
    active = BooleanField(_l("Actif"), default=True)

    def __init__(self, *args, current_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_id = current_id

    def validate_code(self, field):
        code = normalise_qpv_code(field.data)
        if code is None:
            return
        if not is_valid_qpv_code(code):
            raise ValidationError(
                _l("Le code doit commencer par « QN » suivi de 7 lettres ou chiffres (ex. QN0371234).")
            )
        if qpv_code_taken(code, exclude_id=self.current_id):
            raise ValidationError(_l("Ce code est déjà attribué à un autre quartier."))


class StructureForm(FlaskForm):
    name = StringField(_l("Nom"), validators=[DataRequired(_l("Indiquez un nom.")), Length(max=160)])
    kind = SelectField(_l("Type"), choices=[(k, STRUCTURE_KIND_LABELS[k]) for k in STRUCTURE_KINDS])
    neighbourhood_id = SelectField(_l("Quartier"), coerce=int)
    active = BooleanField(_l("Active"), default=True)

    def __init__(self, *args, current_id: int | None = None, neighbourhoods=(), neighbourhood_required=False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.current_id = current_id
        self.neighbourhood_required = neighbourhood_required
        self.neighbourhood_id.choices = [(0, _l("— Aucun —"))] + [(n.id, str(n)) for n in neighbourhoods]

    def validate_neighbourhood_id(self, field):
        # A structure without a neighbourhood belongs to no city: only the métropole manages it.
        if self.neighbourhood_required and not field.data:
            raise ValidationError(_l("Choisissez un quartier de votre ville."))

    def validate_name(self, field):
        if field.data and structure_name_taken(field.data, exclude_id=self.current_id):
            raise ValidationError(_l("Une structure porte déjà ce nom."))
