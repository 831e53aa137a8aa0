"""« Vous avez dit, nous avons fait »: public pages without login, and a card holder's follow-up.

Only what staff chose to publish appears, as their paraphrase: a resident's own text or
voice never does. Nothing here names a card, a person or an event's check-ins.
"""

from __future__ import annotations

from collections import defaultdict

from flask import abort, current_app, render_template, request

from ..extensions import db, limiter
from ..i18n import _
from ..models import Event, Neighbourhood
from . import bp
from .models import Contribution, Topic
from .services import card_contributions
from .ui import PUBLIC_STATUS_LABELS


def published_query(neighbourhood_id: int):
    return (db.select(Contribution).join(Event, Event.id == Contribution.event_id)
            .where(Event.neighbourhood_id == neighbourhood_id, Contribution.published.is_(True),
                   Contribution.paraphrase.is_not(None)))


def published_by_topic(neighbourhood_id: int) -> list[tuple[Topic, list[Contribution]]]:
    """Return the published contributions of a neighbourhood, grouped by topic, newest first."""
    groups: dict[int, list[Contribution]] = defaultdict(list)
    topics: dict[int, Topic] = {}
    rows = db.session.execute(published_query(neighbourhood_id).order_by(Contribution.created_at.desc())).scalars()
    for item in rows:
        groups[item.topic_id].append(item)
        topics[item.topic_id] = item.topic
    return [(topics[tid], groups[tid]) for tid in sorted(groups, key=lambda t: (topics[t].position, topics[t].name))]


def latest_answers(event_id: int, limit: int = 3) -> list[Contribution]:
    """Return the latest published answers of an event's neighbourhood (the kiosk's welcome screen)."""
    neighbourhood = db.select(Event.neighbourhood_id).where(Event.id == event_id).scalar_subquery()
    return list(db.session.execute(
        db.select(Contribution).join(Event, Event.id == Contribution.event_id)
        .where(Event.neighbourhood_id == neighbourhood, Contribution.published.is_(True),
               Contribution.paraphrase.is_not(None), Contribution.answer.is_not(None))
        .order_by(Contribution.first_answer_at.desc(), Contribution.id.desc()).limit(limit)).scalars())


def _neighbourhood_or_404(neighbourhood_id: int) -> Neighbourhood:
    item = db.session.get(Neighbourhood, neighbourhood_id)
    if item is None or not item.active:
        abort(404)
    return item


@bp.get("/quartiers/")
def neighbourhoods():
    """List the neighbourhoods, each with how many answers it has."""
    counts = dict(db.session.execute(
        db.select(Event.neighbourhood_id, db.func.count(Contribution.id)).join(Event, Event.id == Contribution.event_id)
        .where(Contribution.published.is_(True), Contribution.paraphrase.is_not(None))
        .group_by(Event.neighbourhood_id)).all())
    items = list(db.session.execute(db.select(Neighbourhood).where(Neighbourhood.active.is_(True))
                                    .order_by(Neighbourhood.name)).scalars())
    return render_template("voice/public_index.html", neighbourhoods=items, counts=counts)


@bp.get("/quartiers/<int:neighbourhood_id>")
def neighbourhood(neighbourhood_id: int):
    """Show « Vous avez dit, nous avons fait » for one neighbourhood."""
    item = _neighbourhood_or_404(neighbourhood_id)
    return render_template("voice/public.html", neighbourhood=item, groups=published_by_topic(item.id),
                           labels=PUBLIC_STATUS_LABELS)


@bp.get("/quartiers/<int:neighbourhood_id>/affiche")
def poster(neighbourhood_id: int):
    """Print « Vous avez dit, nous avons fait » on an A4 poster for the next stand."""
    item = _neighbourhood_or_404(neighbourhood_id)
    return render_template("voice/poster.html", neighbourhood=item, groups=published_by_topic(item.id),
                           labels=PUBLIC_STATUS_LABELS, page_url=current_app.config["PUBLIC_URL"]
                           + f"/quartiers/{item.id}")


@bp.route("/suivi", methods=["GET", "POST"])
@limiter.limit("20 per 10 minutes", methods=["POST"])
def card_status():
    """Let a card holder see the status of what they said, by typing their card's code."""
    items, error, status = None, None, 200
    if request.method == "POST":
        items = card_contributions(request.form.get("code", "")[:40])
        if items is None:
            error, status = _("Ce code n'est pas bon. Vérifiez chaque lettre et chaque chiffre."), 404
    response = render_template("voice/card_status.html", items=items, error=error, labels=PUBLIC_STATUS_LABELS)
    return response, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
