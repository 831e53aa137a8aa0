"""Small leaks of the statistics: another structure's themes, a HEAD logged as an export."""

from html import unescape

from kiosk.extensions import db
from kiosk.models import AuditLog

from . import factories


def test_an_animateurs_theme_filter_lists_only_their_structures_themes(client, auth):
    home, other = factories.gen_structure(), factories.gen_structure()
    factories.gen_event(structure=home, theme="Jardin partagé")
    factories.gen_event(structure=other, theme="Médiation bailleur confidentielle")
    animateur = factories.gen_user(structure=home)
    coordinator = factories.gen_user(role="coordinator")
    db.session.commit()
    auth.login_as(animateur)
    page = unescape(client.get("/stats/").text)
    assert "Jardin partagé" in page and "Médiation bailleur confidentielle" not in page
    response = client.get("/stats/", query_string={"theme": "Médiation bailleur confidentielle"})
    assert "Thème inconnu" in unescape(response.text)
    auth.logout()
    auth.login_as(coordinator)
    assert "Médiation bailleur confidentielle" in unescape(client.get("/stats/").text)


def audit_entries() -> int:
    return len(db.session.execute(db.select(AuditLog)).all())


def test_a_head_request_on_the_raw_export_is_not_logged_as_an_export(client, auth):
    auth.login_as(factories.gen_user(role="coordinator"))
    db.session.commit()
    for url in ("/stats/enregistrements.csv", "/stats/export.csv?mode=internal"):
        response = client.head(url)
        response.close()
        assert response.status_code == 200
        assert audit_entries() == 0, url
    response = client.get("/stats/enregistrements.csv")
    response.get_data()
    assert audit_entries() == 1
