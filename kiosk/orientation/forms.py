from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from ..i18n import _l


class ActivityForm(FlaskForm):
    name = StringField(_l("Nom de l'activité"), validators=[DataRequired(_l("Indiquez un nom.")), Length(max=160)])
    schedule = StringField(_l("Jours et horaires"), validators=[Length(max=200)],
                           description=_l("Tel que vous l'écririez sur une affiche : « mardi et jeudi, 14 h – 16 h »."))
    address = StringField(_l("Adresse"), validators=[Length(max=200)])
    public = StringField(_l("Public"), validators=[Length(max=160)],
                         description=_l("Par exemple : adultes, parents et enfants, 16-25 ans, tout public."))
    free = BooleanField(_l("Gratuite"), default=True)
    active = BooleanField(_l("Proposée en ce moment"), default=True)
