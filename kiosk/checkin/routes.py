"""The resident's screens, on a kiosk tablet (/kiosk/<code>) or their own phone (/e/<code>).

One page carries the whole flow (language, card, questions, needs, card offer) in every
kiosk language; kiosk.js shows one screen at a time and sends the answers once, at the
end, with the check-in's uuid made when the flow started: a retry never counts twice.
Without JavaScript the same page is one long form. The server checks every answer again
(``flow.read_submission``) and, on a refusal, names the step to go back to.
"""

from flask import current_app, g, redirect, request, session, url_for
from flask_babel import refresh
from flask_wtf.csrf import CSRFError

from ..codes import display_card_code, looks_foreign, parse_card_code
from ..events.services import EARLY, LATE
from ..extensions import db
from ..fragments import wants_fragment
from ..i18n import LANGUAGES, _
from ..qr import card_qr_svg
from . import bp
from .context import (
    KIOSK,
    PHONE,
    Refusal,
    channel_for,
    forget_resident,
    load_event,
    problem_screen,
    refuse_outside_times,
    render_screen,
    snapshots,
)
from .finish import finish
from .flow import LINK_SCAN, AnswerError, ProfileNeeded, read_submission
from .page import flow_page, language_part
from .phone import phone_already_checked_in, phone_limited, remember_phone_checkin, spend_address_checkin
from .questions import interpreter_options
from .services import ALREADY_CHECKED_IN, ALREADY_RECORDED, EVENT_CLOSED, NOT_STARTED, RECORDED, card_standing

PREFIX = "/<any(kiosk, e):mode>/<code>"
SCAN_CHANNELS = ("camera", "scanner", "keypad")


@bp.get(PREFIX)
def welcome(mode: str, code: str):
    """Show the whole flow, its welcome screen first; forget the previous resident."""
    event = load_event(mode, code)
    # A phone keeps its resident's language; a tablet forgets the last one's, unless the
    # language was just chosen on the form of the page without JavaScript.
    forget_resident(keep_language=mode == PHONE or session.pop("lang_chosen", False))
    return flow_page(mode, event)


@bp.post(PREFIX + "/lang")
@phone_limited
def choose_language(mode: str, code: str):
    """Without JavaScript: remember the resident's language and show the page in it."""
    code = load_event(mode, code).code
    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        raise Refusal(400, _("Choisissez une langue dans la liste."))
    forget_resident()
    session["lang"] = lang
    session["lang_chosen"] = True
    return redirect(url_for("checkin.welcome", mode=mode, code=code) + "#questions", 303)


@bp.get(PREFIX + "/part/<lang>")
def part(mode: str, code: str, lang: str):
    """One language's screens, fetched by the page when a resident switches to it (a phone)."""
    event = load_event(mode, code)
    if lang not in LANGUAGES:
        raise Refusal(404, _("Choisissez une langue dans la liste."))
    return language_part(mode, event, lang)


@bp.post(PREFIX + "/checkin")
@phone_limited
def submit(mode: str, code: str):
    """Check every answer of the page, record the check-in, answer with the confirmation."""
    event = load_event(mode, code)
    form = request.form
    lang = form.get("lang", "")
    if lang in LANGUAGES:
        g.locale = lang  # the answer speaks the resident's language, whatever the session says
        refresh()
        session["lang"] = lang  # and so do the screens after it (feedback, orientation)
    long_form = form.get("long") == "1"
    linking = form.get("card_offer") == "link"
    raw_card = form.get("card", "")[:200].strip()
    card = parse_card_code(raw_card) if raw_card else None
    if raw_card and card is None:
        message = (_("Ce code n'est pas une carte Hors-les-murs.") if looks_foreign(raw_card)
                   else _("Ce code n'est pas bon. Vérifiez chaque lettre et chaque chiffre."))
        return _send_back(mode, event, LINK_SCAN if linking else "scan", message)
    standing = card_standing(card, event.id)
    try:
        flow = read_submission(
            form, event_code=event.code, card=card, card_known=standing.ever_checked_in,
            express=event.express_mode, long_form=long_form,
            neighbourhood_ids={n.id for n in snapshots().qpv_neighbourhoods()},
            interpreter_codes={c for c, _label, _icon in interpreter_options(event)})
    except ProfileNeeded:
        return _send_back(mode, event, "first_time", _(
            "C'est votre première venue avec cette carte. Répondez à quelques questions."), 409)
    except AnswerError as error:
        if error.step == "start":
            return _send_back(mode, event, "start", _("Cette page n'est plus valable. Recommencez depuis l'accueil."))
        return _send_back(mode, event, error.step or "start",
                          _("Cette réponse n'est pas proposée. Touchez une des réponses."))
    channel = form.get("channel", "")
    if flow["card"] is None:
        channel = "express" if event.express_mode else "nocard"
    elif channel not in SCAN_CHANNELS:
        channel = "keypad"
    flow["channel"] = channel_for(mode, channel)
    if mode == PHONE:
        if flow["card"] is None and phone_already_checked_in(event.code):
            return _done(mode, event, {"outcome": ALREADY_CHECKED_IN, "uuid": flow["id"]})
        spend_address_checkin(event.code)
    result = finish(event, flow, language=lang if lang in LANGUAGES else "fr")
    db.session.commit()
    if result["outcome"] in (EVENT_CLOSED, NOT_STARTED):
        refuse_outside_times(event, EARLY if result["outcome"] == NOT_STARTED else LATE)
    if mode == PHONE and result["outcome"] in (RECORDED, ALREADY_RECORDED):
        remember_phone_checkin(event.code)
    return _done(mode, event, result)


def _send_back(mode: str, event, step: str, message: str, status: int = 422):
    """Send the resident back to the step at fault: the script moves there, the long form shows it again."""
    if wants_fragment():
        return render_screen("checkin/_send_back.html", status, mode=mode, code=event.code, event=event,
                             step=step, message=message)
    return flow_page(mode, event, submitted=request.form, error_step=step, error=message, status=status)


def _done(mode: str, event, result: dict):
    if wants_fragment():
        return _done_screen(mode, event, result)
    # Without JavaScript: post, redirect, get, so that a reload does not post the answers again.
    session["done"] = result
    return redirect(url_for("checkin.done", mode=mode, code=event.code), 303)


def _done_screen(mode: str, event, result: dict):
    status = 409 if result["outcome"] in (ALREADY_CHECKED_IN, ALREADY_RECORDED) and not result.get("new_card") else 200
    card = result.get("new_card")
    seconds = current_app.config["KIOSK_CARD_SECONDS" if card else "KIOSK_CONFIRM_SECONDS"]
    return render_screen("checkin/_done.html", status, mode=mode, code=event.code, event=event, result=result,
                         new_card=display_card_code(card) if card else None, qr=card_qr_svg(card) if card else None,
                         seconds=seconds)


@bp.get(PREFIX + "/done")
def done(mode: str, code: str):
    """Confirm the check-in in the resident's language (the page without JavaScript comes here)."""
    event = load_event(mode, code)
    # On a kiosk the confirmation shows once: reloading it must not show a resident's new card
    # to the next one. On a phone it stays: it is the resident's own, and their card is on it.
    result = session.pop("done", None) if mode == KIOSK else session.get("done")
    if not result:
        return redirect(url_for("checkin.welcome", mode=mode, code=code), 303)
    return _done_screen(mode, event, result)


@bp.get(PREFIX + "/privacy")
def privacy(mode: str, code: str):
    """Say who keeps which data, why, for how long, and how to have it erased."""
    event = load_event(mode, code)
    return render_screen("checkin/_privacy.html", mode=mode, code=code, event=event, **privacy_facts())


def privacy_facts() -> dict:
    config = current_app.config
    return {"controller": config["DATA_CONTROLLER_NAME"], "contact": config["DATA_CONTROLLER_CONTACT"],
            "months": config["RETENTION_MONTHS"]}


@bp.errorhandler(CSRFError)
def csrf_refused(_error):
    """Answer an expired or forged form in the resident's language."""
    return problem_screen(400, _("Cette page a expiré. Recommencez depuis l'accueil."))
