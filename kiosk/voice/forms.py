from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..i18n import WRITTEN_LANGUAGES, _l
from .topics import PICTOGRAMS


class TopicForm(FlaskForm):
    name = StringField(_l("Nom (en français)"), validators=[DataRequired(_l("Indiquez un nom.")), Length(max=80)],
                       description=_l("Les sujets habituels sont déjà traduits ; un sujet nouveau a besoin de ses "
                                      "traductions ci-dessous."))
    pictogram = SelectField(_l("Pictogramme"), choices=[(p, p) for p in PICTOGRAMS])
    position = IntegerField(_l("Ordre d'affichage"), default=0,
                            validators=[Optional(), NumberRange(min=0, max=999)])
    active = BooleanField(_l("Actif"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = [code for code in WRITTEN_LANGUAGES if code != "fr"]
