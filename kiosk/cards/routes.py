from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from ..extensions import db
from ..i18n import _, _l
from ..models import AuditLog
from ..permissions import coordinator_required
from . import bp
from .services import UnknownCard, erase_card


class EraseForm(FlaskForm):
    code = StringField(_l("Code de la carte"), validators=[DataRequired(_l("Saisissez le code imprimé sur la carte."))],
                       description=_l("10 caractères, par exemple ABCDE-FGHJK. Les tirets et espaces sont ignorés."))


@bp.route("/", methods=["GET", "POST"])
@coordinator_required
def privacy():
    """Erase a card on its holder's request and show the retention rule."""
    form = EraseForm()
    if form.validate_on_submit():
        try:
            count = erase_card(form.code.data, user=current_user)
        except UnknownCard:
            form.code.errors.append(_("Aucune carte ne porte ce code. Vérifiez la saisie."))
        else:
            db.session.commit()
            flash(_("Carte effacée : %(n)d passages sont désormais anonymes.", n=count), "success")
            return redirect(url_for(".privacy"))
    log = db.session.execute(
        db.select(AuditLog).where(AuditLog.action.in_(("card_erase", "cards_purge")))
        .order_by(AuditLog.created_at.desc()).limit(20)
    ).scalars().all()
    return render_template("cards/privacy.html", form=form, log=log,
                           months=current_app.config["RETENTION_MONTHS"]), 400 if form.errors else 200
