"""Translators' pages (/translations/...) and the recorded prompts the kiosks play (/prompts/...)."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user

from ..extensions import db
from ..i18n import LANGUAGE_BY_CODE, WRITTEN_LANGUAGES, _
from ..permissions import translator_required
from ..voice.audio import MIME_TYPES
from . import bp
from .prompts import all_prompts
from .services import (
    AUDIO_NAME,
    PROMPT_MAX_SECONDS,
    TranslationError,
    approve_text,
    check_language,
    coverage,
    delete_recording,
    prompt_dir,
    prompt_states,
    recording_row,
    save_recording,
    save_text,
    string_states,
)
from .strings import msgid_for_key

SHOWS = ("todo", "approved", "all")


def _language(lang: str):
    """The configured language, or a 404 page saying the code is not one of the kiosk's."""
    try:
        check_language(lang)
    except TranslationError as error:
        abort(make_response(render_template("languages/refused.html", message=str(error)), 404))
    return LANGUAGE_BY_CODE[lang]


@bp.get("/translations")
@translator_required
def index():
    """Coverage of each kiosk language: translated, approved, missing, recordings."""
    return render_template("languages/index.html", report=coverage(), languages=LANGUAGE_BY_CODE)


@bp.get("/translations/<lang>")
@translator_required
def strings(lang: str):
    """A written language's resident-facing strings beside the French; an oral one's prompts."""
    language = _language(lang)
    if language.oral or lang == "fr":
        return redirect(url_for(".prompts", lang=lang))
    show = request.args.get("show") if request.args.get("show") in SHOWS else "todo"
    states = string_states(lang)
    shown = [s for s in states if show == "all" or (s.status == "approved") == (show == "approved")]
    return render_template("languages/strings.html", language=language, states=shown, show=show,
                           counts={status: sum(s.status == status for s in states)
                                   for status in ("approved", "to_review", "draft", "missing")})


@bp.route("/translations/<lang>/t/<key>", methods=["GET", "POST"])
@translator_required
def string(lang: str, key: str):
    """Edit one string, save a draft or approve it; approved text reaches the kiosks at once."""
    language = _language(lang)
    msgid = msgid_for_key(key)
    if msgid is None or lang not in WRITTEN_LANGUAGES or lang == "fr":
        abort(404)
    error, text = None, None
    if request.method == "POST":
        text = request.form.get("text", "")
        try:
            if request.form.get("action") == "approve" and not text.strip():
                approve_text(lang, msgid, current_user)
            else:
                save_text(lang, msgid, text, current_user, approve=request.form.get("action") == "approve")
        except TranslationError as refused:
            error = str(refused)
        else:
            db.session.commit()
            flash(_("Traduction approuvée : les kiosques la montrent.") if request.form.get("action") == "approve"
                  else _("Brouillon enregistré : il faut encore l'approuver."), "success")
            return redirect(url_for(".strings", lang=lang, show=request.args.get("show", "todo")))
    state = next(s for s in string_states(lang) if s.key == key)
    return render_template("languages/string.html", language=language, state=state, error=error,
                           text=text if text is not None else (state.draft or (state.text if state.shipped or
                                                                                state.status == "approved" else ""))), \
        422 if error else 200


@bp.get("/translations/<lang>/prompts")
@translator_required
def prompts(lang: str):
    """The kiosk's prompts in one language, recorded or not."""
    language = _language(lang)
    return render_template("languages/prompts.html", language=language, states=prompt_states(lang))


@bp.route("/translations/<lang>/prompts/<prompt_key>", methods=["GET", "POST"])
@translator_required
def prompt(lang: str, prompt_key: str):
    """Record one prompt in the browser (record, listen, keep or redo); a file is taken too."""
    language = _language(lang)
    key = prompt_key
    french = dict(all_prompts()).get(key)
    if french is None:
        abort(404)
    error = None
    if request.method == "POST":
        upload = request.files.get("audio")
        data = b""
        if upload:
            with upload.stream:
                data = upload.read(current_app.config["PROMPT_MAX_BYTES"] + 1)
        try:
            save_recording(lang, key, data, request.form.get("seconds"), current_user)
        except TranslationError as refused:
            error = str(refused)
        else:
            db.session.commit()
            flash(_("Enregistrement gardé : le kiosque le joue."), "success")
            return redirect(url_for(".prompt", lang=lang, prompt_key=key))
    return render_template("languages/prompt.html", language=language, key=key, french=str(french), error=error,
                           recording=recording_row(lang, key), max_seconds=PROMPT_MAX_SECONDS), 422 if error else 200


def raise_prompt_limit() -> None:
    """The one form allowed a body over MAX_CONTENT_LENGTH: a 30 s recording may weigh 2 MB.

    Registered first among the app's before_request functions: the CSRF check reads the form.
    """
    if request.endpoint == "languages.prompt" and request.method == "POST":
        request.max_content_length = current_app.config["PROMPT_MAX_BYTES"] + 65536


@bp.post("/translations/<lang>/prompts/<prompt_key>/delete")
@translator_required
def delete_prompt(lang: str, prompt_key: str):
    _language(lang)
    key = prompt_key
    if delete_recording(lang, key):
        db.session.commit()
        flash(_("Enregistrement supprimé."), "success")
    return redirect(url_for(".prompt", lang=lang, prompt_key=key))


@bp.get("/prompts/audio/<name>")
def audio(name: str):
    """A recorded prompt, for the kiosks: public, named by its content, so cached for good."""
    if not AUDIO_NAME.match(name):
        abort(404)
    response = send_from_directory(prompt_dir(), name, max_age=365 * 24 * 3600, conditional=True, etag=True,
                                   mimetype=MIME_TYPES[name.rsplit(".", 1)[1]])
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
