"""The resident's screens, on a kiosk tablet (/kiosk/<code>) or their own phone (/e/<code>).

Each POST checks its answer and keeps it in the signed session. htmx gets the next screen
in the same response (one round trip per tap on the stand's poor network); a plain form
post is redirected (303) to it, so the screens work without JavaScript too.
"""

from flask import current_app, redirect, request, session, url_for
from flask_babel import refresh
from flask_wtf.csrf import CSRFError

from ..codes import display_card_code, looks_foreign, parse_card_code
from ..events.services import EARLY, LATE
from ..extensions import db
from ..i18n import LANGUAGES, _
from ..qr import card_qr_svg
from . import bp
from .context import (
    KIOSK,
    PHONE,
    Refusal,
    channel_for,
    forget_resident,
    language,
    load_event,
    problem_screen,
    refuse_outside_times,
    render_screen,
    snapshots,
)
from .finish import finish
from .flow import LINK_SCAN, STEPS, AnswerError, apply_answer, new_flow, next_step, progress
from .phone import phone_already_checked_in, phone_limited, remember_phone_checkin, spend_address_checkin
from .questions import HINTS, MULTI, OPTIONS, TITLES, interpreter_options, residence_options
from .services import ALREADY_CHECKED_IN, ALREADY_RECORDED, EVENT_CLOSED, NOT_STARTED, RECORDED, card_standing

PREFIX = "/<any(kiosk, e):mode>/<code>"
SCAN_CHANNELS = ("camera", "scanner", "keypad")


def _go(mode: str, code: str, endpoint: str = "checkin.resume", **values):
    """Show the next screen: straight away to htmx (one round trip per tap), by a 303 otherwise."""
    if request.htmx and request.method == "POST":
        return current_app.view_functions[endpoint](mode=mode, code=code, **values)
    return redirect(url_for(endpoint, mode=mode, code=code, **values), 303)


def _current_flow(code: str, *, required: bool = True) -> dict | None:
    """Return the resident's flow if this form belongs to it, else refuse (a stale or replayed form)."""
    flow = session.get("flow")
    if flow is not None and flow.get("event") == code and request.form.get("flow") == flow["id"]:
        return flow
    if required:
        raise Refusal(409, _("Cette page n'est plus valable. Recommencez depuis l'accueil."))
    return None


@bp.get(PREFIX)
def welcome(mode: str, code: str):
    """Show the welcome screen and forget the previous resident."""
    event = load_event(mode, code)
    forget_resident()
    return render_screen("checkin/_welcome.html", mode=mode, code=code, event=event, languages=LANGUAGES)


@bp.post(PREFIX + "/lang")
@phone_limited
def choose_language(mode: str, code: str):
    """Remember the resident's language and show the two ways in."""
    code = load_event(mode, code).code
    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        raise Refusal(400, _("Choisissez une langue dans la liste."))
    forget_resident()
    session["lang"] = lang
    refresh()  # this request already read the locale
    return _go(mode, code, "checkin.start")


@bp.get(PREFIX + "/start")
def start(mode: str, code: str):
    """Offer the two ways in: "I have a card" and "first time / no card"."""
    event = load_event(mode, code)
    return render_screen("checkin/_start.html", mode=mode, code=code, event=event)


@bp.post(PREFIX + "/start")
@phone_limited
def start_without_card(mode: str, code: str):
    """Start a check-in without a card: the questions, or straight in during express mode."""
    event = load_event(mode, code)
    if mode == PHONE and phone_already_checked_in(event.code):
        session["done"] = {"outcome": ALREADY_CHECKED_IN}
        return _go(mode, event.code, "checkin.done")
    channel = "express" if event.express_mode else "nocard"
    session["flow"] = new_flow(event.code, channel=channel_for(mode, channel), express=event.express_mode)
    return _advance(mode, event)


@bp.get(PREFIX + "/scan")
def scan(mode: str, code: str):
    """Show the card scanner: camera, scanner and keypad."""
    event = load_event(mode, code)
    flow = session.get("flow")
    linking = flow is not None and flow.get("event") == code and next_step(flow) == LINK_SCAN
    return render_screen("checkin/_scan.html", mode=mode, code=code, event=event, flow=flow if linking else None)


@bp.post(PREFIX + "/scan")
@phone_limited
def scan_card(mode: str, code: str):
    """Check a scanned or typed card code and go on with that card."""
    event = load_event(mode, code)
    code = event.code  # flows carry the stored code, whatever the URL's spelling
    raw = request.form.get("code", "")[:200]
    channel = request.form.get("channel", "keypad")
    if channel not in SCAN_CHANNELS:
        channel = "keypad"
    flow = _current_flow(code, required=False)
    linking = flow is not None and next_step(flow) == LINK_SCAN
    card_code = parse_card_code(raw)
    if card_code is None:
        message = (_("Ce code n'est pas une carte Hors-les-murs.") if looks_foreign(raw)
                   else _("Ce code n'est pas bon. Vérifiez chaque caractère et réessayez."))
        return render_screen("checkin/_scan.html", 422, mode=mode, code=code, event=event,
                             flow=flow if linking else None, error=message, typed=raw)
    pending = session.get("flow")
    if not linking and _in_progress(pending, code) and request.form.get("replace") != pending["id"]:
        # Someone is mid-questions: a card shown now must not silently take their place.
        return render_screen("checkin/_scan_replace.html", 409, mode=mode, code=code, event=event,
                             card_code=card_code, channel=channel, pending=pending)
    standing = card_standing(card_code, event.id)
    if standing.checked_in_here:
        forget_resident(keep_language=True)
        session["done"] = {"outcome": ALREADY_CHECKED_IN}
        return _go(mode, code, "checkin.done")
    if linking:
        flow["card"] = card_code
        flow["channel"] = channel_for(mode, channel)
        session["flow"] = flow
    else:
        session["flow"] = new_flow(code, card=card_code, channel=channel_for(mode, channel),
                                   known=standing.ever_checked_in,
                                   express=event.express_mode)
    return _advance(mode, event)


def _in_progress(flow: dict | None, code: str) -> bool:
    """Say whether a resident's check-in is under way here, with something to lose."""
    return flow is not None and flow.get("event") == code and bool(flow["a"] or flow.get("card"))


@bp.get(PREFIX + "/leave")
def leave(mode: str, code: str):
    """Go back to the welcome screen, asking first when it would throw a resident's answers away."""
    event = load_event(mode, code)
    if not _in_progress(session.get("flow"), code):
        return redirect(url_for("checkin.welcome", mode=mode, code=code), 303)
    return render_screen("checkin/_leave.html", mode=mode, code=code, event=event)


@bp.get(PREFIX + "/q/<step>")
def question(mode: str, code: str, step: str):
    """Ask one question, with "Passer"."""
    event = load_event(mode, code)
    flow = session.get("flow")
    if flow is None or flow.get("event") != code or step not in STEPS or (
            step != next_step(flow) and step not in flow["a"]):
        return _go(mode, code)
    return _question_screen(mode, event, flow, step)


def _question_screen(mode, event, flow, step, status=200, error=None):
    if step == "residence":
        options = residence_options(snapshots().qpv_neighbourhoods())
    elif step == "interpreter":
        options = interpreter_options(event)
    else:
        options = OPTIONS[step]
    number, total = progress(flow)
    return render_screen(
        "checkin/_question.html", status, mode=mode, code=event.code, event=event, flow=flow, step=step,
        title=TITLES[step], hint=HINTS.get(step), options=options, multi=step in MULTI, error=error,
        number=number, total=total, chosen=flow["a"].get(step), greet=flow.get("known") and step == "needs",
    )


@bp.post(PREFIX + "/q/<step>")
@phone_limited
def answer(mode: str, code: str, step: str):
    """Keep one answer (or "Passer") and go to the next question or the confirmation."""
    event = load_event(mode, code)
    flow = _current_flow(event.code)
    if step not in STEPS:
        raise Refusal(404, _("Cette question n'existe pas."))
    try:
        apply_answer(
            flow, step, request.form.get("answer", "")[:40], request.form.getlist("choice")[:10],
            neighbourhood_ids={n.id for n in snapshots().qpv_neighbourhoods()} if step == "residence" else set(),
            interpreter_codes={c for c, _label, _icon in interpreter_options(event)},
        )
    except AnswerError:
        return _question_screen(mode, event, flow, step, 400, error=_("Cette réponse n'est pas proposée. "
                                                                       "Touchez une des réponses."))
    session["flow"] = flow
    return _advance(mode, event)


def _advance(mode: str, event):
    """Go to the next question, or record the check-in when none is left."""
    flow = session["flow"]
    step = next_step(flow)
    if step == LINK_SCAN:
        return _go(mode, event.code, "checkin.scan")
    if step is not None:
        return _go(mode, event.code, "checkin.question", step=step)
    if mode == PHONE:
        if phone_already_checked_in(event.code) and flow.get("card") is None:
            session.pop("flow", None)
            session["done"] = {"outcome": ALREADY_CHECKED_IN}
            return _go(mode, event.code, "checkin.done")
        spend_address_checkin(event.code)
    result = finish(event, flow, mode=mode, language=language())
    db.session.commit()
    session.pop("flow", None)
    if result["outcome"] in (EVENT_CLOSED, NOT_STARTED):
        forget_resident(keep_language=True)
        refuse_outside_times(event, EARLY if result["outcome"] == NOT_STARTED else LATE)
    session["done"] = result
    if mode == PHONE and result["outcome"] == RECORDED:
        remember_phone_checkin(event.code)
    return _go(mode, event.code, "checkin.done")


@bp.get(PREFIX + "/resume")
def resume(mode: str, code: str):
    """Go back to where the resident was, or to the welcome screen."""
    load_event(mode, code)
    flow = session.get("flow")
    if flow is None or flow.get("event") != code:
        return _go(mode, code, "checkin.start" if session.get("lang") else "checkin.welcome")
    step = next_step(flow)
    if step == LINK_SCAN:
        return _go(mode, code, "checkin.scan")
    if step is None:
        return _go(mode, code, "checkin.welcome")
    return _go(mode, code, "checkin.question", step=step)


@bp.get(PREFIX + "/done")
def done(mode: str, code: str):
    """Confirm the check-in in the resident's language, then go back to the welcome screen."""
    event = load_event(mode, code)
    # On a kiosk the confirmation shows once: reloading it must not show a resident's new card
    # to the next one. On a phone it stays: it is the resident's own, and their card is on it.
    result = session.pop("done", None) if mode == KIOSK else session.get("done")
    if not result:
        return _go(mode, code, "checkin.welcome")
    status = 409 if result["outcome"] in (ALREADY_CHECKED_IN, ALREADY_RECORDED) else 200
    card = result.get("new_card")
    seconds = current_app.config["KIOSK_CARD_SECONDS" if card else "KIOSK_CONFIRM_SECONDS"]
    return render_screen("checkin/_done.html", status, mode=mode, code=code, event=event, result=result,
                         new_card=display_card_code(card) if card else None, qr=card_qr_svg(card) if card else None,
                         seconds=seconds)


@bp.get(PREFIX + "/privacy")
def privacy(mode: str, code: str):
    """Say who keeps which data, why, for how long, and how to have it erased."""
    event = load_event(mode, code)
    config = current_app.config
    return render_screen("checkin/_privacy.html", mode=mode, code=code, event=event,
                         controller=config["DATA_CONTROLLER_NAME"], contact=config["DATA_CONTROLLER_CONTACT"],
                         months=config["RETENTION_MONTHS"])


@bp.errorhandler(CSRFError)
def csrf_refused(_error):
    """Answer an expired or forged form in the resident's language."""
    return problem_screen(400, _("Cette page a expiré. Recommencez depuis l'accueil."))

