from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import permissions
from ..extensions import db
from ..i18n import _
from ..models import Neighbourhood, Structure
from ..permissions import coordinator_required, deny
from . import bp, services
from .forms import NeighbourhoodForm, StructureForm
from .services import active_neighbourhoods, save_neighbourhood, save_structure


def _get_or_404(model, object_id: int):
    item = db.session.get(model, object_id) or abort(404)
    rule = (permissions.can_manage_neighbourhood if model is Neighbourhood
            else permissions.can_manage_structure_record)
    if not rule(current_user, item):
        deny("territory")
    return item


@bp.get("/neighbourhoods")
@coordinator_required
def neighbourhoods():
    """List every neighbourhood, active or not."""
    rows = db.session.execute(
        db.select(Neighbourhood).where(permissions.neighbourhood_condition(current_user)).order_by(
            Neighbourhood.active.desc(), Neighbourhood.is_qpv.desc(), Neighbourhood.commune, Neighbourhood.name
        )
    ).scalars()
    return render_template("places/neighbourhoods.html", neighbourhoods=list(rows))


@bp.route("/neighbourhoods/new", methods=["GET", "POST"])
@bp.route("/neighbourhoods/<int:neighbourhood_id>", methods=["GET", "POST"])
@coordinator_required
def neighbourhood_form(neighbourhood_id: int | None = None):
    """Create or edit a neighbourhood."""
    item = _get_or_404(Neighbourhood, neighbourhood_id) if neighbourhood_id else None
    form = NeighbourhoodForm(obj=item, current_id=neighbourhood_id)
    if form.validate_on_submit():
        # A city's coordination adds neighbourhoods to its own city only.
        commune = permissions.territory(current_user) or form.commune.data
        item = save_neighbourhood(item, name=form.name.data, commune=commune, code=form.code.data,
                                  is_qpv=form.is_qpv.data, active=form.active.data)
        db.session.commit()
        flash(_("Quartier « %(name)s » enregistré.", name=item.name), "success")
        return redirect(url_for(".neighbourhoods"))
    return render_template("places/neighbourhood_form.html", form=form, item=item), (
        400 if form.errors else 200
    )


@bp.get("/structures")
@coordinator_required
def structures():
    """List partner structures."""
    rows = db.session.execute(
        db.select(Structure).where(permissions.structure_condition(current_user))
        .order_by(Structure.active.desc(), Structure.name)
    ).scalars()
    return render_template("places/structures.html", structures=list(rows))


@bp.route("/structures/new", methods=["GET", "POST"])
@bp.route("/structures/<int:structure_id>", methods=["GET", "POST"])
@coordinator_required
def structure_form(structure_id: int | None = None):
    """Create or edit a partner structure."""
    item = _get_or_404(Structure, structure_id) if structure_id else None
    form = StructureForm(
        obj=item, current_id=structure_id,
        neighbourhoods=[n for n in active_neighbourhoods() if permissions.can_manage_neighbourhood(current_user, n)],
        neighbourhood_required=permissions.territory(current_user) is not None,
    )
    if item is not None and not form.is_submitted():
        form.neighbourhood_id.data = item.neighbourhood_id or 0
    if form.validate_on_submit():
        item = save_structure(item, name=form.name.data, kind=form.kind.data,
                              neighbourhood_id=form.neighbourhood_id.data, active=form.active.data)
        db.session.commit()
        flash(_("Structure « %(name)s » enregistrée.", name=item.name), "success")
        return redirect(url_for(".structures"))
    return render_template("places/structure_form.html", form=form, item=item), (
        400 if form.errors else 200
    )


@bp.post("/<kind>/<int:object_id>/toggle")
@coordinator_required
def toggle_active(kind: str, object_id: int):
    """Deactivate or reactivate a neighbourhood or a structure."""
    model = {"neighbourhoods": Neighbourhood, "structures": Structure}.get(kind) or abort(404)
    item = _get_or_404(model, object_id)
    services.toggle_active(item)
    db.session.commit()
    flash(_("« %(name)s » est maintenant %(state)s.", name=item.name,
            state=_("actif") if item.active else _("désactivé")), "success")
    return redirect(url_for(f".{kind}"))
