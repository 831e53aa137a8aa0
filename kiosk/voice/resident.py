"""The resident's screens after their check-in: a feedback, then what they want to say.

They run on the kiosk's own blueprint (endpoints ``checkin.voice_*``), so a tablet in kiosk
mode reaches them without the animateur's PIN, with the kiosk's locale, cache and refusal
rules. Each screen carries the check-in's UUID (``c``): it is what allows a feedback and
contributions, for AFTER_CHECKIN, and a feedback is kept once per check-in.
"""

from __future__ import annotations

import uuid as uuid_module

from flask import current_app, redirect, request, url_for

from ..checkin import bp
from ..checkin.context import Refusal, language, load_event, render_screen
from ..checkin.phone import phone_limited
from ..extensions import db
from ..i18n import _
from .prompts import topics_audio
from .services import VoiceError, check_topic, recent_checkin, record_contribution, record_feedback
from .topics import topic_label, topics_for_event

PREFIX = "/<any(kiosk, e):mode>/<code>/voice"
CHANNEL = {"kiosk": "kiosk", "e": "phone"}


def refusal_message(reason: str) -> str:
    """Say why, in the resident's language and plain words."""
    return {
        "unknown_checkin": _("Cette page n'est plus valable. Recommencez depuis l'accueil."),
        "stale": _("Cette page n'est plus valable. Recommencez depuis l'accueil."),
        "already": _("C'est déjà envoyé. Merci !"),
        "closed": _("Ce stand est fermé. Merci et à bientôt !"),
        "bad_rating": _("Touchez un des visages."),
        "unknown_topic": _("Ce sujet n'est pas proposé ici. Touchez un des sujets."),
        "empty": _("Le message est vide. Écrivez quelques mots ou enregistrez votre voix."),
        "too_long": _("Le message est trop long. Écrivez 500 caractères au plus."),
        "no_consent": _("Pour envoyer votre voix, vous devez d'abord dire oui."),
        "not_audio": _("Ce fichier n'est pas un enregistrement de voix. Réessayez."),
        "too_big": _("L'enregistrement est trop lourd. Parlez moins longtemps et réessayez."),
    }.get(reason, _("L'enregistrement dure trop longtemps. Parlez 60 secondes au plus.")
          if reason == "too_long_audio" else _("Cette page n'est plus valable. Recommencez depuis l'accueil."))


def _checkin(event, raw):
    try:
        return recent_checkin(event.id, raw)
    except VoiceError as error:
        raise Refusal(error.status, refusal_message(error.reason)) from None


def _topic(event, raw):
    try:
        return check_topic(event.id, raw)
    except VoiceError as error:
        raise Refusal(404, refusal_message(error.reason)) from None


def _reason(error: VoiceError) -> str:
    return "too_long_audio" if error.reason == "too_long" and request.files.get("audio") else error.reason


def _next(mode: str, code: str, endpoint: str, **values):
    """The next screen: straight away to htmx, by a 303 to a plain form post."""
    if request.htmx:
        return current_app.view_functions[endpoint](mode=mode, code=code, **values)
    return redirect(url_for(endpoint, mode=mode, code=code, **values), 303)


@bp.post(PREFIX + "/feedback", endpoint="voice_feedback")
@phone_limited
def feedback(mode: str, code: str):
    """Keep the resident's one-tap feedback on this action."""
    event = load_event(mode, code)
    ref = _checkin(event, request.form.get("c"))
    try:
        record_feedback(event.id, rating=request.form.get("rating", "")[:10], channel=CHANNEL[mode],
                        language=language(), checkin_uuid=ref.uuid)
    except VoiceError as error:
        raise Refusal(error.status, refusal_message(error.reason)) from None
    db.session.commit()
    return _next(mode, event.code, "checkin.voice_after", c=str(ref.uuid))


@bp.get(PREFIX + "/after", endpoint="voice_after")
def after(mode: str, code: str, c: str | None = None):
    """Thank the resident for the feedback; offer to say something about the neighbourhood."""
    event = load_event(mode, code)
    ref = _checkin(event, c or request.args.get("c"))
    return render_screen("voice/_after.html", mode=mode, code=event.code, event=event, c=str(ref.uuid),
                         feedback_given=True)


@bp.get(PREFIX + "/topics", endpoint="voice_topics")
def topics(mode: str, code: str, c: str | None = None):
    """Show the event's topics as pictograms, each with its label, to choose what to talk about."""
    event = load_event(mode, code)
    ref = _checkin(event, c or request.args.get("c"))
    lang = language()
    topics = topics_for_event(event.id)
    items = [(t.id, topic_label(t, lang), t.pictogram) for t in topics]
    return render_screen("voice/_topics.html", mode=mode, code=event.code, event=event, c=str(ref.uuid),
                         topics=items, audio=topics_audio(topics))


def _say_screen(mode, event, ref, topic, *, status=200, error=None, text="", voice=False, consent=False):
    return render_screen(
        "voice/_record.html" if voice else "voice/_say.html", status, mode=mode, code=event.code, event=event,
        c=str(ref.uuid), topic=topic, topic_name=topic_label(topic, language()), error=error, text=text,
        sid=str(uuid_module.uuid4()), consent=consent, max_seconds=60,
        retention_days=current_app.config["VOICE_RETENTION_DAYS"])


@bp.get(PREFIX + "/say", endpoint="voice_say")
def say(mode: str, code: str):
    """Ask the resident to write what they want to say on the chosen topic (or to speak it)."""
    event = load_event(mode, code)
    ref = _checkin(event, request.args.get("c"))
    return _say_screen(mode, event, ref, _topic(event, request.args.get("t")))


@bp.get(PREFIX + "/record", endpoint="voice_record")
def record(mode: str, code: str):
    """Ask consent to record the resident's voice, then show the recorder."""
    event = load_event(mode, code)
    ref = _checkin(event, request.args.get("c"))
    topic = _topic(event, request.args.get("t"))
    return _say_screen(mode, event, ref, topic, voice=True, consent=request.args.get("consent") == "yes")


@bp.post(PREFIX + "/say", endpoint="voice_send")
@phone_limited
def send(mode: str, code: str):
    """Keep what the resident wrote or recorded; a replayed form is refused."""
    event = load_event(mode, code)
    ref = _checkin(event, request.form.get("c"))
    topic = _topic(event, request.form.get("t"))
    upload = request.files.get("audio")
    audio = None
    if upload:
        with upload.stream:  # a large upload is a temporary file: close it now, not at the next collection
            audio = upload.read(current_app.config["VOICE_MAX_BYTES"] + 1)
    try:
        record_contribution(
            event.id, submission=request.form.get("sid"), topic_id=topic.id, channel=CHANNEL[mode],
            language=language(), text=request.form.get("text"), audio=audio or None,
            audio_seconds=request.form.get("seconds"), consent=request.form.get("consent") == "yes",
            initiative=request.form.get("initiative") == "yes", card_id=ref.card_id)
    except VoiceError as error:
        if error.reason in ("already", "closed", "stale"):
            raise Refusal(error.status, refusal_message(error.reason)) from None
        return _say_screen(mode, event, ref, topic, status=error.status, error=refusal_message(_reason(error)),
                           text=(request.form.get("text") or "")[:2000], voice=bool(audio),
                           consent=request.form.get("consent") == "yes")
    db.session.commit()
    return _next(mode, event.code, "checkin.voice_thanks", c=str(ref.uuid))


@bp.get(PREFIX + "/thanks", endpoint="voice_thanks")
def thanks(mode: str, code: str, c: str | None = None):
    """Thank the resident and say where they will see the answer."""
    event = load_event(mode, code)
    ref = _checkin(event, c or request.args.get("c"))
    return render_screen("voice/_thanks.html", mode=mode, code=event.code, event=event, c=str(ref.uuid),
                         has_card=ref.card_id is not None)

