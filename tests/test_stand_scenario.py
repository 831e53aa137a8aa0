"""The issue's "done means", through the stand's routes: a morning on the stand, then its report.

Until the kiosk lands, residents check in through the factories; the animateur's side goes
through the real routes.
"""

import re

from kiosk.extensions import db

from . import factories
from .factories_stand import gen_stand


def shown(html: str, table: str, row: str) -> str:
    section = re.search(rf'data-table="{table}">(.*?)</section>', html, re.S).group(1)
    return re.search(rf'data-row="{row}"><th scope="row">.*?</th><td class="num">([^<]*)<', section, re.S).group(1)


def test_three_residents_tallies_a_correction_and_the_report(client, auth, app):
    stand = gen_stand(interpreter_languages="ar", childcare_offered=True)
    event = stand.event
    auth.login_as(stand.animateur)
    live = f"/events/{event.code}/live"

    # Three residents with different needs, and one scan made by mistake.
    factories.gen_checkin(event, card=factories.gen_card(), first_seen=True, channel="camera", first_time="yes",
                          childcare_children=2, childcare_age_bands="3_5")
    factories.gen_checkin(event, channel="phone", first_time="no", interpreter_language="ar",
                          goes_to_structure="no")
    factories.gen_checkin(event, channel="keypad", accessibility=True, age_band="61_75")
    mistake = factories.gen_checkin(event, channel="camera")
    db.session.commit()
    needs = client.get(live).get_data(as_text=True)
    assert 'data-need="children">2<' in needs and "العربية" in needs and "besoin d'accessibilité" in needs

    # Tallies: +5, +1, the +1 undone.
    client.post(f"/events/{event.code}/tallies", data={"count": "5"})
    client.post(f"/events/{event.code}/tallies", data={"count": "1"})
    client.post(f"/events/{event.code}/tallies/undo")
    client.post(f"/events/{event.code}/checkins/{mistake.uuid}/void", data={"reason": "duplicate"})

    report = client.post(f"/events/{event.code}/close", follow_redirects=True).get_data(as_text=True)
    assert shown(report, "indicators", "participations") == "3"
    assert shown(report, "indicators", "tallies") == "5"
    assert shown(report, "indicators", "reach") == "8"
    assert shown(report, "indicators", "newcomers_declared") == "1"
    assert shown(report, "indicators", "newcomers_first_seen") == "1"
    assert shown(report, "indicators", "far_from_structures") == "1"
    assert shown(report, "needs", "children") == "2"
    assert shown(report, "needs", "interpreting") == "1"
    assert shown(report, "needs", "accessibility") == "1"
    assert shown(report, "interpreter_language", "ar") == "1"
    assert shown(report, "channel", "camera") == "1"  # the voided scan is not counted
    assert shown(report, "channel", "phone") == "1"

    # Printed for partners, every one of these small figures is hidden.
    shared = client.get(f"/events/{event.code}/report?version=shared").get_data(as_text=True)
    assert shown(shared, "indicators", "participations") == "&lt;11"
    assert shown(shared, "needs", "children") == "&lt;11"
