"""The kiosk's page (issue 15): the French carried once, its parts kept under what they are made of."""

from __future__ import annotations

from html import unescape

from kiosk.checkin import page as page_module
from kiosk.checkin.questions import interpreter_default
from kiosk.extensions import db
from kiosk.i18n import LANGUAGES, ORAL_LANGUAGES
from kiosk.languages.services import save_text

from .factories_checkin import kiosk_resident

FIRST_TIME = "Venez-vous pour la première fois à un stand comme celui-ci ?"


def test_the_kiosk_page_carries_the_french_once_and_every_language(client, app):
    resident = kiosk_resident(client)
    html = resident.page().text
    assert unescape(html).count(FIRST_TIME) == 1  # the French part only: the oral languages are made from it
    for code in ORAL_LANGUAGES:
        assert (f'<template data-lang="{code}" data-base="fr" data-dir="ltr" data-text-lang="fr" '
                'data-recordings="{}"></template>') in html
    written = [code for code in LANGUAGES if code not in ORAL_LANGUAGES and code != "fr"]
    for code in written:
        assert f'<template data-lang="{code}" data-dir=' in html
    # Every placeholder but the two kiosk.js fills in a language it shows is filled.
    for slot in ("__hlm_answers__", "__hlm_live__", "__hlm_others__"):
        assert slot not in html
    live = html[html.index('<div id="flow"'):html.index("<template")]
    assert "__hlm_csrf__" not in live and "__hlm_flow__" not in live


def test_parts_are_rendered_once_and_again_when_what_they_show_changes(client, app, monkeypatch):
    resident = kiosk_resident(client)
    rendered = []
    render = page_module._render_part

    def counting(mode, event, lang, **kwargs):
        rendered.append(lang)
        return render(mode, event, lang, **kwargs)

    monkeypatch.setattr(page_module, "_render_part", counting)
    snapshots = app.extensions["kiosk_snapshots"]
    resident.page()
    first = len(rendered)
    # Later residents, each after the event's copy expired: the page is joined, not rendered.
    for _ in range(3):
        snapshots.clear()
        assert resident.page().status_code == 200
    assert len(rendered) == first

    # The event's title changes (here, behind the app's back: another server process): once its
    # copy expires, the parts are rendered again with it.
    resident.event.title = "Goûter partagé du mercredi"
    db.session.commit()
    snapshots.clear()
    assert "Goûter partagé du mercredi" in resident.page().text
    assert len(rendered) > first

    # A translator approves a Turkish text: the next page shows it (a new version of the overrides).
    again = len(rendered)
    save_text("tr", "Une femme", "Bir kadın", resident.user, approve=True)
    db.session.commit()
    html = resident.page().text
    tr = html[html.index('<template data-lang="tr"'):]
    tr = tr[:tr.index("<template data-lang=", 1)]
    assert "Bir kadın" in tr and ">Kadın<" not in tr
    assert "tr" in rendered[again:]


def test_the_interpreter_language_starts_as_the_residents_own():
    assert interpreter_default("ar") == "ar"
    assert interpreter_default("prs") == "fa"  # Dari: an interpreter in Persian
    assert interpreter_default("fr") is None  # French is no interpreter's language
    assert interpreter_default("snk") is None  # nor is an oral language on the list


def test_the_kept_parts_stay_within_their_bound(monkeypatch):
    monkeypatch.setattr(page_module, "MAX_KEPT_CHARACTERS", 25)
    kept = page_module.PartCache()
    assert kept.get(("a",), lambda: "x" * 10) == "x" * 10
    assert kept.get(("b",), lambda: "y" * 10) == "y" * 10
    assert kept.get(("a",), lambda: "changed") == "x" * 10  # kept: not rendered again
    kept.get(("c",), lambda: "z" * 10)  # over the bound: the older ones go
    assert kept.get(("a",), lambda: "again") == "again"
