"""Every resident can use it (issue 15): axe-core on every resident screen in French and Arabic,
taps counted, "Passer" in view on a phone, pictograms distinct, larger text, read-aloud."""

from pathlib import Path

import pytest

from .conftest import screenshot
from .kiosk_helpers import (
    CURRENT,
    checkins_at,
    open_event_like,
    open_kiosk,
    settle,
    tap,
    wait_scanner_ready,
    wait_screen,
)

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Resident text is held to WCAG AAA contrast (7:1), which axe checks only when asked.
AXE_OPTIONS = {"rules": {"color-contrast-enhanced": {"enabled": True}}}
WORDS = {
    "fr": {"lang": "Français", "nocard": "Je n'ai pas de carte", "none": "Rien, merci", "no": "Non merci",
           "skip_all": "Passer toutes les questions", "card": "J'ai une carte"},
    "ar": {"lang": "العربية", "nocard": "ليست لدي بطاقة"},
}


@pytest.fixture
def page(browser):
    """A tablet-sized page whose CSP lets the test add axe-core (the app's own scripts are unchanged)."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="fr-FR", bypass_csp=True)
    yield context.new_page()
    context.close()


def axe_violations(page, *, scope: str | None = None, options: dict | None = None) -> list[str]:
    """Run axe-core on the page as it shows now; return one line per violation and node."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("([scope, options]) => axe.run(scope ? document.querySelector(scope) : document, options)"
                          ".then(r => r.violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' '))]))",
                          [scope, AXE_OPTIONS if options is None else options])
    return [f"{rule} ({impact}): {target}" for rule, impact, targets in found for target in targets]


# Text of the current screen smaller than the kiosk's 20 px, as "size: text".
SMALL_TEXT = """() => Array.from(document.querySelectorAll('#flow .screen.current *, #screen *, #flow .kiosk-bar *'))
  .filter(e => e.offsetParent !== null && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
  .filter(e => parseFloat(getComputedStyle(e).fontSize) < 20)
  .map(e => getComputedStyle(e).fontSize + ': ' + e.textContent.trim().slice(0, 40))"""


# Touch targets of the current screen under 48 px either way, as "width x height: text".
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    '#flow .screen.current :is(a, button, label.tile), #screen :is(a, button, label.tile),'
    + ' #flow .kiosk-bar :is(a, button)'))
  .filter(e => e.offsetParent !== null)
  .map(e => [e.getBoundingClientRect(), e.textContent.trim().slice(0, 30)])
  .filter(([r]) => r.width < 48 || r.height < 48)
  .map(([r, text]) => Math.round(r.width) + 'x' + Math.round(r.height) + ': ' + text)"""


def check_screen(page, seen: dict, name: str):
    settle(page)
    problems = axe_violations(page)
    problems += [f"text under 20 px: {line}" for line in page.evaluate(SMALL_TEXT)]
    problems += [f"target under 48 px: {line}" for line in page.evaluate(SMALL_TARGETS)]
    seen[name] = problems


def here(page):
    """The screen the resident sees now."""
    return page.locator(CURRENT).first


def tick_box(page, name: str, value: str):
    """Touch the tile of one box to tick (in any language)."""
    here(page).locator(f'input[name="{name}"][value="{value}"]').locator("xpath=ancestor::label[1]").click()


def start_taps(page):
    page.evaluate("if (window.__taps === undefined) document.addEventListener('pointerdown',"
                  " e => { if (e.isTrusted) window.__taps++; }, true); window.__taps = 0;")


def taps(page) -> int:
    return page.evaluate("window.__taps")


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_axe_finds_nothing_on_any_resident_screen(page, live_server, lang):
    app = live_server.app
    event = open_event_like(app, live_server.demo["open_event"], f"Accessibilité {lang}")
    open_kiosk(page, live_server, event)
    seen: dict[str, list[str]] = {}
    check_screen(page, seen, "welcome")
    tap(page, WORDS[lang]["lang"])
    wait_screen(page, "start")
    check_screen(page, seen, "start")
    # The screens off the main path, each reached and left by its own button.
    settle(page)
    here(page).locator("[data-go=scan]").first.click()
    wait_screen(page, "scan")
    check_screen(page, seen, "scan")
    settle(page)
    page.locator("#flow .kiosk-bar [data-go=privacy]").click()
    wait_screen(page, "privacy")
    check_screen(page, seen, "privacy")
    page.go_back()
    wait_screen(page, "scan")
    page.go_back()
    wait_screen(page, "start")
    settle(page)
    here(page).locator("[data-go=begin]:not([data-first-time])").click()
    # The children are counted and the interpreter's language changed on the needs screen; the
    # interpreter's list is a screen of its own, reached from there.
    order = ["first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from", "needs",
             "interpreter", "needs", "card_offer"]
    for step in order:
        wait_screen(page, f"question-{step}")
        current = page.locator(CURRENT).first
        if step == "needs" and "question-interpreter" not in seen:
            settle(page)
            current.locator('[data-child-age="3_5"]').click()
            tick_box(page, "needs", "interpreter")
            check_screen(page, seen, "question-needs")
            current.locator("[data-go=interpreter]").click()
            continue
        check_screen(page, seen, f"question-{step}" if step != "needs" else "question-needs, again")
        if step == "needs":
            tap(page, "1")
        elif step == "card_offer":
            current.locator('input[value="yes"]').locator("xpath=ancestor::label[1]").click()
        else:
            current.locator(".tiles label").first.click()
    wait_screen(page, "done")
    check_screen(page, seen, "done")
    settle(page)
    assert checkins_at(app, event)[0]["language"] == lang
    screenshot(page, f"kiosk-a11y-done-{lang}")
    # After the confirmation: the feedback and the resident's voice (the orientation: on the phone, below).
    page.locator("#result .faces button").first.click()
    for screen, go in (("voice-after", "a.tile.primary"), ("voice-topics", "a.tile.topic"),
                       ("voice-say", None)):
        wait_screen(page, screen)
        check_screen(page, seen, screen)
        if go:
            here(page).locator(go).first.click()
    here(page).locator("textarea").fill("Un banc devant l'école")
    here(page).locator("button[type=submit]").first.click()
    wait_screen(page, "voice-thanks")
    check_screen(page, seen, "voice-thanks")
    # Leaving mid-way asks first: that screen too.
    here(page).locator("[data-reset]").click()
    wait_screen(page, "welcome")
    tap(page, WORDS[lang]["lang"])
    wait_screen(page, "start")
    settle(page)
    here(page).locator("[data-go=begin]:not([data-first-time])").click()
    wait_screen(page, "question-first_time")
    settle(page)
    here(page).locator(".tiles label").first.click()
    wait_screen(page, "question-residence")
    settle(page)
    page.locator("#flow .kiosk-bar [data-go=leave]").click()
    wait_screen(page, "leave")
    check_screen(page, seen, "leave")
    # Larger text keeps every rule too.
    page.locator("#flow .kiosk-bar [data-large-text]").click()
    check_screen(page, seen, "leave, large text")
    screenshot(page, f"kiosk-a11y-large-text-{lang}")
    assert {name: found for name, found in seen.items() if found} == {}
    assert len(seen) >= 20


def test_taps_a_newcomer_a_skipper_and_a_known_card_need(page, live_server):
    app = live_server.app
    event = open_event_like(app, live_server.demo["open_event"], "Compter les gestes")
    open_kiosk(page, live_server, event)
    words = WORDS["fr"]
    # A newcomer answering every question, in Arabic, who needs childcare for a child of 4 and an
    # interpreter, with 2 people beside them: at most 10 taps after the language.
    tap(page, WORDS["ar"]["lang"])
    wait_screen(page, "start")
    start_taps(page)
    settle(page)
    here(page).locator("[data-first-time=yes]").click()  # "I am here for the first time"
    for step in ("residence", "age_band", "gender", "goes_to_structure", "heard_from"):
        wait_screen(page, f"question-{step}")
        settle(page)
        here(page).locator(".tiles label").first.click()
    wait_screen(page, "question-needs")
    settle(page)
    here(page).locator('[data-child-age="3_5"]').click()  # one child, aged 3 to 5: childcare
    tick_box(page, "needs", "interpreter")  # in Arabic, the resident's language, unless changed
    assert here(page).locator("[data-interpreter-name]").inner_text() == "العربية"
    screenshot(page, "kiosk-needs-and-companions-ar")
    tick_box(page, "companions", "2")  # the screen's last answer moves on
    wait_screen(page, "question-card_offer")
    settle(page)
    tick_box(page, "card_offer", "no")
    wait_screen(page, "done")
    newcomer = taps(page)
    [first] = checkins_at(app, event)
    assert (first["language"], first["first_time"], first["needs_skipped"], first["childcare_children"],
            first["childcare_age_bands"], first["interpreter_language"], first["accessibility"],
            first["companions"], first["card"]) == ("ar", "yes", False, 1, "3_5", "ar", False, 2, None)
    assert first["residence"] != "skip" and "skip" not in (first["age_band"], first["gender"], first["heard_from"])
    assert newcomer <= 10, newcomer
    page.locator("#result [data-reset]").click()
    wait_screen(page, "welcome")
    assert page.locator("html").get_attribute("lang") == "fr"

    # One who skips everything: at most 3 taps after the language.
    tap(page, words["lang"])
    wait_screen(page, "start")
    start_taps(page)
    tap(page, words["nocard"])
    wait_screen(page, "question-first_time")
    tap(page, words["skip_all"])
    wait_screen(page, "done")
    skipper = taps(page)
    assert skipper <= 3, skipper
    second = checkins_at(app, event)[1]
    assert (second["first_time"], second["age_band"], second["needs_skipped"]) == ("skip", "skip", True)

    # A known card (the demo's cards have checked in before): at most 2 taps after the language.
    card = first_card_code(app)
    page.locator("#result [data-reset]").click()
    wait_screen(page, "welcome")
    tap(page, words["lang"])
    wait_screen(page, "start")
    start_taps(page)
    tap(page, words["card"])
    wait_screen(page, "scan")
    wait_scanner_ready(page)
    page.keyboard.type(card, delay=5)  # the card reader types the code and Enter
    page.keyboard.press("Enter")
    wait_screen(page, "question-needs")
    tap(page, "Personne d'autre")
    wait_screen(page, "done")
    known = taps(page)
    assert known <= 2, known
    assert checkins_at(app, event)[2]["card"] == card
    print(f"taps after the language: newcomer {newcomer}, skipper {skipper}, known card {known}")


def first_card_code(app) -> str:
    from kiosk.extensions import db
    from kiosk.models import Card, CheckIn

    with app.app_context():
        code = db.session.execute(db.select(Card.code).join(CheckIn, CheckIn.card_id == Card.id).limit(1)).scalar_one()
        db.session.remove()
        return code


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_on_a_phone_passer_shows_without_scrolling_on_every_question(browser, live_server, lang):
    app = live_server.app
    event = open_event_like(app, live_server.demo["open_event"], f"Téléphone {lang}")
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="fr-FR", has_touch=True,
                                  bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/e/{event}")
        tap(page, WORDS[lang]["lang"])
        wait_screen(page, "start")
        tap(page, WORDS[lang]["nocard"])
        seen, needs_progress = [], None
        # The children are counted on the needs screen; the interpreter's list opens from there and comes back.
        for step in ("first_time", "residence", "age_band", "gender", "goes_to_structure", "heard_from", "needs",
                     "interpreter", "needs", "card_offer"):
            wait_screen(page, f"question-{step}")
            settle(page)
            skip = here(page).locator('input[value="skip"]').first.locator("xpath=ancestor::label[1]")
            box = skip.bounding_box()
            scrolled = page.evaluate("window.scrollY")
            assert scrolled == 0 and box["y"] >= 0 and box["y"] + box["height"] <= 640, (step, box)
            seen.append(step)
            if step in ("residence", "interpreter"):
                screenshot(page, f"phone-{step}-{lang}")
            progress = here(page).locator("[data-progress]").inner_text()
            if step == "interpreter":  # opened from the needs screen: it counts as that screen
                assert progress == needs_progress, (progress, needs_progress)
            if step == "needs" and "interpreter" not in seen:
                needs_progress = progress
                here(page).locator('[data-child-age="0_2"]').click()
                tick_box(page, "needs", "interpreter")
                here(page).locator("[data-go=interpreter]").click()
            elif step == "needs":
                here(page).locator("label.primary").click()
            else:
                skip.click()
        wait_screen(page, "done")
        assert len(seen) == 10
        [mine] = checkins_at(app, event)
        assert (mine["childcare_children"], mine["childcare_age_bands"], mine["interpreter_language"]) == (
            1, "0_2", "skip")
        settle(page)
        page.locator("#result .orientation-offer a").click()
        wait_screen(page, "orientation")
        settle(page)
        assert axe_violations(page) == []
    finally:
        context.close()


def test_every_answer_of_a_question_has_its_own_pictogram(page, live_server):
    page.goto(f"{live_server.url}/e/{live_server.demo['open_event']}")
    wait_screen(page, "welcome")
    questions = page.locator("#flow fieldset[data-step]")
    assert questions.count() == 11
    for i in range(questions.count()):
        fieldset = questions.nth(i)
        pictograms = fieldset.locator(".tiles .tile").evaluate_all(
            "tiles => tiles.map(t => { const u = t.querySelector('use'); const g = t.querySelector('.glyph');"
            " return u ? u.getAttribute('href').split('#')[1] : (g ? 'glyph:' + g.textContent : null); })")
        assert None not in pictograms and len(set(pictograms)) == len(pictograms), (
            fieldset.get_attribute("data-step"), pictograms)
    # The sprite is one file, drawn: a pictogram has a size and its symbol exists.
    href = page.locator("#flow .tile use").first.get_attribute("href")
    response = page.request.get(live_server.url + href.split("#")[0])
    assert response.ok and "immutable" in response.headers["cache-control"]
    assert f'id="{href.split("#")[1]}"' in response.text()


def test_read_aloud_reads_the_question_and_every_answer(browser, live_server):
    """Chromium has no voice here: a stand-in speechSynthesis records what the page asks it to say."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="fr-FR")
    context.add_init_script("""
      window.__said = [];
      const voices = [{lang: 'fr-FR', name: 'fr'}, {lang: 'ar-SA', name: 'ar'}, {lang: 'en-GB', name: 'en'}];
      const fake = { getVoices: () => voices,
                     speak: (u) => window.__said.push([u.text, u.lang]), cancel: () => { window.__said = []; },
                     addEventListener: () => {} };
      Object.defineProperty(window, 'speechSynthesis', { value: fake });
      window.SpeechSynthesisUtterance = function (text) { this.text = text; };
    """)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/e/{live_server.demo['open_event']}")
        wait_screen(page, "welcome")
        settle(page)
        page.locator('#flow .screen.current button.say').click()
        said = page.evaluate("window.__said")
        assert ["Bienvenue", "fr"] in [[t, c[:2]] for t, c in said]
        assert any(c.startswith("ar") for _t, c in said) and any(t == "العربية" for t, _c in said)
        tap(page, "Français")
        wait_screen(page, "start")
        tap(page, "Je n'ai pas de carte")
        wait_screen(page, "question-first_time")
        settle(page)
        page.locator("#flow .screen.current button.say").click()
        texts = [t for t, _c in page.evaluate("window.__said")]
        assert texts[0].startswith("Venez-vous pour la première fois")
        assert "Oui, c'est la première fois" in texts and "Non, j'ai déjà participé" in texts and "Passer" in texts
    finally:
        context.close()


def test_the_large_text_is_for_one_resident_only(page, live_server):
    page.goto(f"{live_server.url}/e/{live_server.demo['open_event']}")
    tap(page, "Français")
    wait_screen(page, "start")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#flow h1')).fontSize)")
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.locator("#flow .kiosk-bar [data-large-text]").click()
    bigger = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#flow h1')).fontSize)")
    assert bigger >= size * 1.2
    assert page.locator("#flow .kiosk-bar [data-large-text]").get_attribute("aria-pressed") == "true"
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body >= body_size * 1.2
    page.locator("#flow .kiosk-bar [data-go=leave]").click()  # nothing answered: straight back
    wait_screen(page, "welcome")
    assert page.evaluate("document.documentElement.classList.contains('large-text')") is False
