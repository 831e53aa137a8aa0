"""Routes of the stand: thin, one service or query call each, every one behind event access."""

from flask import Response, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..codes import display_card_code, new_card_code
from ..extensions import db
from ..fragments import vary_on_htmx, wants_fragment
from ..i18n import _
from ..permissions import HELP, MANAGE, RUN, event_or_404
from ..qr import card_qr_svg, qr_svg
from ..stats.indicators import Filters, compute
from . import bp, printing, queries
from .report import VERSIONS, build_report, report_csv
from .services import StandError, add_tally, undo_last_tally, void_checkin
from .void_reasons import VOID_REASONS, void_reason_from_form


def _panel_context(event) -> dict:
    # The version first: a check-in landing while the rest is read then only costs one
    # more render at the next poll, instead of being missed.
    version = queries.version_fingerprint(event)
    indicators = compute(Filters(event_id=event.id))
    return {
        "version": version,
        "event": event,
        "ind": indicators,
        "known_cards": indicators.distinct_cards - indicators.newcomers_first_seen,
        "needs": queries.needs_now(event),
        "latest": queries.latest_checkins(event),
        "my_last_tally": queries.last_tally(event, author_id=current_user.id),
    }


@bp.get("/<code>/live")
@login_required
def live(code: str):
    """Show the live view of an event: counters, needs, tallies and the latest check-ins."""
    event = event_or_404(code, RUN)
    return render_template("stand/live.html", **_panel_context(event))


@bp.get("/<code>/live/_panel")
def live_panel(code: str):
    """Send the live panel again, or 204 No Content when nothing changed since version v."""
    if not current_user.is_authenticated:
        if request.htmx:  # a session that expired mid-poll: reload the whole page on the login form
            login = url_for("auth.login", next=url_for(".live", code=code))
            return Response(status=204, headers={"HX-Redirect": login})
        return current_app.login_manager.unauthorized()
    event = event_or_404(code, RUN)
    if request.args.get("v") == queries.version_fingerprint(event):
        response = Response(status=204)
    else:
        response = Response(render_template("stand/_panel.html", **_panel_context(event)))
    response.headers["Cache-Control"] = "no-store"  # a poll must always reach the server
    return response


def _after_change(event):
    if wants_fragment():
        return vary_on_htmx(make_response(render_template("stand/_panel.html", **_panel_context(event))))
    return redirect(url_for(".live", code=event.code), 303)


@bp.post("/<code>/tallies")
@login_required
def tallies(code: str):
    """Count people reached on the stand who did not check in (+1 or +5)."""
    count = request.form.get("count", type=int) or 0
    return _change_tallies(code, lambda event: add_tally(event, count=count, author=current_user))


@bp.post("/<code>/tallies/undo")
@login_required
def undo_tally(code: str):
    """Undo my latest tally at this event."""
    return _change_tallies(code, lambda event: undo_last_tally(event, author=current_user))


def _change_tallies(code: str, change):
    event = event_or_404(code, RUN)
    try:
        change(event)
    except StandError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
    return _after_change(event)


@bp.get("/<code>/checkins")
@login_required
def checkins(code: str):
    """List every check-in of the event, newest first, to find one to correct."""
    event = event_or_404(code, MANAGE)
    return render_template("stand/checkins.html", event=event, checkins=queries.latest_checkins(event, limit=None))


@bp.route("/<code>/checkins/<uuid:checkin_uuid>/void", methods=["GET", "POST"])
@login_required
def void(code: str, checkin_uuid):
    """Void a check-in made by mistake, with the reason; it stays, out of every count."""
    event = event_or_404(code, MANAGE)
    checkin = queries.checkin_of_event(event, checkin_uuid) or abort(404)
    error = None
    if request.method == "POST":
        try:
            void_checkin(checkin, by=current_user, reason=void_reason_from_form(request.form))
        except StandError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            flash(_("Passage annulé : il ne compte plus."), "success")
            target = ".live" if event.status == "open" else ".report"
            return redirect(url_for(target, code=event.code), 303)
    return render_template("stand/void.html", event=event, checkin=checkin, reasons=VOID_REASONS,
                           error=error), 400 if error else 200


@bp.get("/<code>/poster")
@login_required
def poster(code: str):
    """Show the A4 poster of the event, with the QR code of self check-in."""
    event = event_or_404(code, HELP)
    url = printing.self_checkin_url(event)
    qr = qr_svg(url, label=_("Code QR : %(url)s", url=url), css_class="qr poster-qr")
    lines = printing.poster_lines(event)
    return render_template("stand/poster.html", event=event, url=url, qr=qr, lines=lines,
                           density=printing.poster_density(event.title, len(lines["invitation"])),
                           address_warning=printing.public_url_warning())


@bp.get("/<code>/cards")
@login_required
def cards(code: str):
    """Show A4 sheets of new blank cards to cut out (first seen when scanned)."""
    event = event_or_404(code, HELP)
    count = printing.card_count(request.args.get("n"))
    keep = printing.in_languages(printing.CARD_KEEP, printing.card_languages(event))
    codes = [new_card_code() for _ in range(count)]
    sheet = [
        {"code": display_card_code(c), "qr": card_qr_svg(c, css_class="qr card-qr")}
        for c in codes
    ]
    pages = [sheet[i:i + printing.CARDS_PER_PAGE] for i in range(0, count, printing.CARDS_PER_PAGE)]
    return render_template("stand/cards.html", event=event, pages=pages, keep=keep, count=count,
                           max_cards=printing.MAX_CARDS, address_warning=printing.public_url_warning())


def _version() -> str:
    version = request.args.get("version", "internal")
    return version if version in VERSIONS else abort(400)


@bp.get("/<code>/report")
@login_required
def report(code: str):
    """Show the event report: exact for the staff, or the version shared with partners."""
    event = event_or_404(code, MANAGE)
    return render_template("stand/report.html", report=build_report(event, _version()))


@bp.get("/<code>/report.csv")
@login_required
def report_download(code: str):
    """Download the event report as CSV for a spreadsheet."""
    event = event_or_404(code, MANAGE)
    version = _version()
    body = report_csv(build_report(event, version))  # one event: small enough to send whole
    name = f"rapport-{event.code}-{'partage' if version == 'shared' else 'interne'}.csv"
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
