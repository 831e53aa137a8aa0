"""Staff pages of the residents' voice: topics, an event's topics, the stand's entries, the board."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..i18n import LANGUAGES, WRITTEN_LANGUAGES, _
from ..models import Neighbourhood, Structure
from ..permissions import HELP, MANAGE, allowed, can_use_voice_board, coordinator_required, deny, event_or_404
from ..places.services import active_structures
from . import bp
from .audio import audio_path
from .followup import (
    BoardFilters,
    FollowUpError,
    assign,
    board,
    can_read,
    change_status,
    privacy_flags,
    set_published,
    transcribe,
    write_answer,
)
from .forms import TopicForm
from .models import RATINGS, STATUSES, Contribution, Topic
from .services import VoiceError, card_id_for_code, parse_uuid, record_contribution, record_feedback
from .topics import (
    TopicError,
    all_topics,
    ensure_default_topics,
    event_topic_ids,
    save_topic,
    set_event_topics,
    topics_for_event,
)
from .ui import STAFF_REFUSALS, STATUS_LABELS


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


# Topics (coordinators)

@bp.get("/voice/topics")
@coordinator_required
def topics():
    """List the topics residents can speak about."""
    return render_template("voice/topics.html", topics=all_topics(), languages=_written())


@bp.post("/voice/topics/defaults")
@coordinator_required
def default_topics():
    """Add the usual topics (cadre de vie, propreté, ...) where missing."""
    added = ensure_default_topics()
    db.session.commit()
    flash(_("%(n)s sujets ajoutés.", n=added), "success")
    return redirect(url_for(".topics"), 303)


@bp.route("/voice/topics/new", methods=["GET", "POST"])
@bp.route("/voice/topics/<int:topic_id>", methods=["GET", "POST"])
@coordinator_required
def topic_form(topic_id: int | None = None):
    """Create or edit a topic: its name, pictogram and translations."""
    topic = db.session.get(Topic, topic_id) or abort(404) if topic_id else None
    form = TopicForm(obj=topic)
    translations = topic.translation_map() if topic else {}
    if form.validate_on_submit():
        translations = {lang: request.form.get(f"tr_{lang}", "")[:80] for lang in form.languages}
        try:
            topic = save_topic(topic, name=form.name.data, pictogram=form.pictogram.data,
                               translations=translations, active=form.active.data, position=form.position.data or 0)
        except TopicError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Sujet « %(name)s » enregistré.", name=topic.name), "success")
            return redirect(url_for(".topics"))
    return render_template("voice/topic_form.html", form=form, item=topic, translations=translations,
                           languages=_written()), 400 if form.errors else 200


# An event's topics and the stand's own entries (the event's managers)

@bp.route("/events/<code>/topics", methods=["GET", "POST"])
@login_required
def event_topics(code: str):
    """Name the topics on which this event seeks residents' views."""
    event = event_or_404(code, MANAGE)
    if request.method == "POST":
        ids = [int(v) for v in request.form.getlist("topic")[:100] if v.isascii() and v.isdigit() and len(v) < 10]
        set_event_topics(event, ids)
        db.session.commit()
        flash(_("Sujets de l'action enregistrés."), "success")
        return redirect(url_for("events.show", code=event.code), 303)
    return render_template("voice/event_topics.html", event=event, topics=[t for t in all_topics() if t.active],
                           chosen=set(event_topic_ids(event.id)))


@bp.route("/events/<code>/voice", methods=["GET", "POST"])
@login_required
def stand_entry(code: str):
    """Let the animateur record a feedback or what a resident said out loud, in a few taps."""
    event = event_or_404(code, HELP)
    status = 200
    if request.method == "POST":
        try:
            if request.form.get("kind") == "feedback":
                record_feedback(event.id, rating=request.form.get("rating", "")[:10], channel="animateur",
                                author=current_user)
                message = _("Avis enregistré. Merci !")
            else:
                record_contribution(
                    event.id, submission=request.form.get("sid"), topic_id=request.form.get("topic"),
                    channel="animateur", text=request.form.get("text"),
                    initiative=request.form.get("initiative") == "yes",
                    card_id=card_id_for_code(request.form.get("card", "")[:40]), author=current_user)
                message = _("Parole enregistrée. Elle arrive au suivi.")
        except VoiceError as error:
            flash(str(STAFF_REFUSALS.get(error.reason, error.reason)), "error")
            status = error.status
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".stand_entry", code=event.code), 303)
    return render_template("voice/stand_entry.html", event=event, topics=topics_for_event(event.id),
                           ratings=RATINGS, text=request.form.get("text", "")[:2000]), status


# The follow-up board

@bp.get("/voice/")
@allowed(can_use_voice_board, "role")
def board_page():
    """List the contributions this staff member follows up, with filters."""
    filters = BoardFilters(neighbourhood_id=_int_arg("neighbourhood"), topic_id=_int_arg("topic"),
                           status=request.args.get("status") if request.args.get("status") in STATUSES else None,
                           structure_id=_int_arg("structure"), initiative=request.args.get("initiative") == "yes")
    items = board(current_user, filters)
    return render_template(
        "voice/board.html", items=items, filters=filters, statuses=STATUSES, status_labels=STATUS_LABELS,
        topics=all_topics(), structures=active_structures(),
        neighbourhoods=list(db.session.execute(db.select(Neighbourhood).order_by(Neighbourhood.name)).scalars()),
        flags={c.id: privacy_flags(c.text) + [f for f in privacy_flags(c.transcript) if f not in privacy_flags(c.text)]
               for c in items})


def _contribution_or_404(uuid: str) -> Contribution:
    key = parse_uuid(uuid) or abort(404)
    contribution = db.session.execute(db.select(Contribution).where(Contribution.uuid == key)).scalar_one_or_none()
    if contribution is None:
        abort(404)
    if not can_read(current_user, contribution):
        deny("event")
    return contribution


@bp.get("/voice/c/<uuid>")
@login_required
def contribution(uuid: str):
    """Show one contribution: the resident's words (flagged), its voice message, its follow-up."""
    item = _contribution_or_404(uuid)
    return render_template("voice/contribution.html", item=item, statuses=STATUSES, status_labels=STATUS_LABELS,
                           structures=active_structures(), text_flags=privacy_flags(item.text),
                           transcript_flags=privacy_flags(item.transcript), has_audio=audio_path(item) is not None)


@bp.get("/voice/c/<uuid>/audio")
@login_required
def audio(uuid: str):
    """Send a voice message to logged-in staff of the event's scope, never cached."""
    item = _contribution_or_404(uuid)
    path = audio_path(item) or abort(404)
    response = send_file(path, mimetype=item.audio_mime or "application/octet-stream", max_age=0, conditional=True)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/voice/c/<uuid>")
@login_required
def follow_up(uuid: str):
    """Apply one change of the follow-up: status, assignment, transcription, answer, publication."""
    item = _contribution_or_404(uuid)
    action = request.form.get("action", "")
    try:
        if action == "status":
            change_status(item, request.form.get("status", ""), user=current_user,
                          reason=request.form.get("reason", ""))
        elif action == "assign":
            raw = request.form.get("structure", "").strip()
            valid = raw.isascii() and raw.isdigit() and len(raw) < 10
            structure = db.session.get(Structure, int(raw)) if valid else None
            if raw and structure is None:  # empty takes it back; anything else must be a structure
                raise FollowUpError("Choisissez une structure de la liste.")
            assign(item, structure, user=current_user)
        elif action == "transcribe":
            transcribe(item, request.form.get("transcript", ""), user=current_user)
        elif action == "answer":
            write_answer(item, paraphrase=request.form.get("paraphrase", ""), answer=request.form.get("answer", ""),
                         user=current_user)
        elif action in ("publish", "unpublish"):
            set_published(item, action == "publish", user=current_user)
        else:
            raise FollowUpError(_("Action inconnue."))
    except FollowUpError as error:
        db.session.rollback()
        flash(str(error), "error")
        return contribution(uuid), 400
    db.session.commit()
    flash(_("Suivi enregistré."), "success")
    return redirect(url_for(".contribution", uuid=uuid), 303)


def _written() -> dict[str, str]:
    """A topic's name is written: oral languages (issue 15) have no column for it."""
    return {code: LANGUAGES[code] for code in WRITTEN_LANGUAGES}
