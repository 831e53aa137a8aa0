from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from ..i18n import _l


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[DataRequired(_l("Indiquez votre adresse e-mail."))],
    )
    password = PasswordField(
        _l("Mot de passe"), validators=[DataRequired(_l("Indiquez votre mot de passe."))]
    )
