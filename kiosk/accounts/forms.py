from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from ..auth.services import MIN_PASSWORD_LENGTH, PIN_DIGITS
from ..i18n import _l

ROLE_LABELS = [("animateur", _l("Animateur ou animatrice")), ("coordinator", _l("Coordination")),
               ("benevole", _l("Bénévole (conseil citoyen, habitant relais)")),
               ("delegue", _l("Délégué·e du préfet (lecture seule)"))]


class UserForm(FlaskForm):
    name = StringField(_l("Nom"), validators=[DataRequired(_l("Indiquez un nom.")), Length(max=120)])
    email = StringField(_l("Adresse e-mail"), validators=[DataRequired(_l("Indiquez une adresse e-mail."))])
    role = SelectField(_l("Rôle"), choices=ROLE_LABELS)
    translator = BooleanField(_l("Traducteur ou traductrice"), description=_l(
        "Relit, approuve et enregistre les textes des écrans des habitants dans sa langue."))
    structure_id = SelectField(_l("Structure"), coerce=int)
    city = SelectField(_l("Territoire"), validate_choice=False, description=_l(
        "Pour la coordination et les délégué·es : une ville, ou toute la métropole. "
        "Une bénévole peut y être rattachée."))
    password = PasswordField(
        _l("Mot de passe"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH,
                                       message=_l("Au moins %(n)d caractères.", n=MIN_PASSWORD_LENGTH))],
        description=_l("À communiquer à la personne, qui pourra le changer. Laissez vide pour ne pas le modifier."),
    )
    active = BooleanField(_l("Compte actif"), default=True)

    def __init__(self, *args, structures=(), cities=(), metropole=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure_id.choices = [(0, _l("— Aucune —"))] + [(s.id, s.name) for s in structures]
        self.city.choices = ([("", _l("Toute la métropole"))] if metropole else []) + [(c, c) for c in cities]


class OwnAccountForm(FlaskForm):
    current = PasswordField(
        _l("Mot de passe actuel"), validators=[DataRequired(_l("Indiquez votre mot de passe actuel."))]
    )
    new_password = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH,
                                       message=_l("Au moins %(n)d caractères.", n=MIN_PASSWORD_LENGTH))],
    )
    confirm = PasswordField(_l("Confirmer le nouveau mot de passe"),
                            validators=[EqualTo("new_password", _l("Les deux mots de passe diffèrent."))])
    pin = StringField(
        _l("Code PIN du kiosque"),
        validators=[Optional(), Regexp(rf"^\d{{{PIN_DIGITS}}}$", message=_l("%(n)d chiffres.", n=PIN_DIGITS))],
        description=_l("Pour quitter le mode kiosque sur la tablette sans taper votre mot de passe."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
