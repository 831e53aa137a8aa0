"""What the fuzz test found, pinned one by one: hostile input is refused with a 4xx, never a crash."""

from html import unescape

import pytest

from kiosk.checkin.flow import AnswerError, apply_answer, new_flow
from kiosk.extensions import db
from kiosk.inputs import MAX_ID, parse_id
from kiosk.models import AuditLog

from .factories import gen_user


@pytest.fixture
def coordinator(auth):
    user = gen_user(role="coordinator", structure=None)
    db.session.commit()
    auth.login_as(user)
    return user


@pytest.mark.parametrize("text, expected", [
    ("12", 12), (" 7 ", 7), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("0", None), ("-3", None),
    ("²", None), ("١٢", None), ("1.5", None), ("", None), (None, None), ("9" * 40, None),
])
def test_an_id_is_ascii_digits_within_the_database_range(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize("path", [
    "/admin/users/9223372036854775808", "/admin/neighbourhoods/99999999999999999999",
    "/admin/structures/2147483648", "/admin/users/0",
])
def test_ids_out_of_the_database_range_are_not_found(client, coordinator, path):
    assert client.get(path).status_code == 404


def test_an_id_in_arabic_indic_digits_is_not_read_as_a_number(client, coordinator):
    arabic = str(coordinator.id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert client.get(f"/admin/users/{coordinator.id}").status_code == 200
    assert client.get(f"/admin/users/{arabic}").status_code == 404


@pytest.mark.parametrize("query", [
    {"neighbourhood": "99999999999999999999"}, {"structure": "9223372036854775808"}, {"structure": "²"},
])
def test_an_unknown_filter_id_is_explained_not_a_crash(client, coordinator, query):
    response = client.get("/stats/", query_string=query)
    assert response.status_code == 200  # the page shows the filters with the error beside them
    assert "inconnue : «" in unescape(response.text) or "inconnu : «" in unescape(response.text)


@pytest.mark.parametrize("day", ["01/01/0001", "31/12/9999", "0202-03-04"])
def test_a_filter_date_out_of_the_years_we_count_is_explained(client, coordinator, day):
    for path in ("/stats/", "/stats/export.csv", "/stats/rapport"):
        response = client.get(path, query_string={"from": day})
        assert response.status_code in (200, 400), path
        assert "choisissez une date entre 2000 et 2099" in unescape(response.text), path


@pytest.mark.parametrize("field", ["email", "password"])
def test_a_nul_byte_in_a_form_is_refused(client, field):
    data = {"email": "someone@example.org", "password": "secret", field: "a\x00b"}
    assert client.post("/auth/login", data=data).status_code == 400


def test_a_nul_byte_in_a_query_string_is_refused(client, coordinator):
    assert client.get("/stats/", query_string={"theme": "a\x00b"}).status_code == 400


@pytest.mark.parametrize("target", ["/events/\r\nSet-Cookie: x=y", "/\\evil.example", "/events/\x7f"])
def test_the_login_never_redirects_to_a_broken_or_foreign_address(client, target):
    user = gen_user(role="coordinator", structure=None)
    db.session.commit()
    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": user.email, "password": "correct horse battery"})
    assert response.status_code == 302
    assert response.location == "/events/"


def test_the_login_still_returns_to_a_local_page(client):
    user = gen_user(role="coordinator", structure=None)
    db.session.commit()
    response = client.post("/auth/login", query_string={"next": "/stats/?from=01/01/2026"},
                           data={"email": user.email, "password": "correct horse battery"})
    assert response.location == "/stats/?from=01/01/2026"


@pytest.mark.parametrize("count", ["²", "١", "0", "7", "99999999999999999999"])
def test_a_number_of_children_in_other_digits_or_out_of_range_is_not_offered(count):
    flow = new_flow("ABCDEF", card="K", known=True)
    apply_answer(flow, "needs", "ok", ["childcare"], neighbourhood_ids=set(), interpreter_codes=set())
    with pytest.raises(AnswerError):
        apply_answer(flow, "children", count, [], neighbourhood_ids=set(), interpreter_codes=set())


def test_a_residence_id_in_other_digits_is_not_offered():
    flow = new_flow("ABCDEF")
    apply_answer(flow, "first_time", "yes", [], neighbourhood_ids=set(), interpreter_codes=set())
    with pytest.raises(AnswerError):
        apply_answer(flow, "residence", "n:²", [], neighbourhood_ids={2}, interpreter_codes=set())


def test_the_cli_export_names_a_missing_folder_and_logs_nothing(runner, tmp_path):
    out = tmp_path / "missing" / "bilan.csv"
    result = runner.invoke(args=["stats", "export", "--format", "csv", "--internal", "--out", str(out)])
    assert result.exit_code == 2
    assert "n'existe pas" in result.output
    assert db.session.execute(db.select(AuditLog)).first() is None
