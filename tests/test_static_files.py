"""Static files: content-hashed URLs kept a year, plain URLs revalidated, text sent gzip-compressed."""

import gzip
import hashlib
import re
from pathlib import Path

import pytest

from kiosk.static_files import StaticFiles

from .factories_checkin import Resident, gen_kiosk_setup

STATIC = Path(__file__).resolve().parent.parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
# A pictogram is a <use href> into the sprite: the file is what is cached, the #name is not sent.
STATIC_URL = re.compile(r'(?:src|href|data-decoder)="(/static/[^"#]+)(?:#[^"]*)?"')
HASHED = re.compile(r"^/static/.+\.[0-9a-f]{12}\.(css|js|svg)$")


def static_urls(html: str) -> list[str]:
    urls = STATIC_URL.findall(html)
    assert urls, "the page links no static file"
    return urls


def test_the_kiosk_and_phone_pages_link_hashed_files_that_browsers_keep_a_year(app, client):
    user, event = gen_kiosk_setup()
    phone = client.get(f"/e/{event.code}")
    assert phone.headers["Cache-Control"] == "no-store"
    # The phone's page carries its own style and script; it links htmx and the camera decoder.
    phone_urls = static_urls(phone.get_data(as_text=True))
    assert {u.rsplit("/", 1)[-1].split(".")[0] for u in phone_urls} == {"htmx", "jsQR", "pictograms"}
    tablet = Resident(app.test_client(), event)
    kiosk = tablet.open_kiosk(user)
    assert kiosk.headers["Cache-Control"] == "no-store"
    kiosk_urls = static_urls(kiosk.get_data(as_text=True))
    assert {u.rsplit("/", 1)[-1].split(".")[0] for u in kiosk_urls} >= {"kiosk", "htmx", "app", "jsQR", "pictograms"}
    for url in phone_urls + kiosk_urls:
        assert HASHED.match(url), url
        with client.get(url) as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == IMMUTABLE
            # No cookie set, none varied on: the session changes with each answer, a cached file must not.
            assert "Set-Cookie" not in response.headers
            assert "Cookie" not in response.headers.get("Vary", "")


def test_the_staff_pages_link_hashed_files_too(client):
    for url in static_urls(client.get("/auth/login").get_data(as_text=True)):
        assert HASHED.match(url), url
        with client.get(url) as response:
            assert response.headers["Cache-Control"] == IMMUTABLE


def test_the_hashed_name_is_taken_from_the_content(client):
    digest = hashlib.sha256((STATIC / "css" / "app.css").read_bytes()).hexdigest()[:12]
    assert f'href="/static/css/app.{digest}.css"' in client.get("/auth/login").get_data(as_text=True)


def test_a_changed_file_gets_a_new_name_and_the_old_name_is_no_longer_kept(tmp_path):
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "screen.css").write_text("body { color: black; }")
    files = StaticFiles(str(folder))
    before = files.hashed_name("screen.css")
    assert re.fullmatch(r"screen\.[0-9a-f]{12}\.css", before)
    (folder / "screen.css").write_text("body { color: darkblue; }")
    after = files.hashed_name("screen.css")
    assert after != before and files.get("screen.css").digest in after
    assert files.hashed_name("missing.css") == "missing.css"


def test_a_plain_url_is_revalidated_and_answers_not_modified(client):
    response = client.get("/static/js/kiosk.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.get_data() == (STATIC / "js" / "kiosk.js").read_bytes()
    etag = response.headers["ETag"]
    response.close()
    with client.get("/static/js/kiosk.js", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304


def test_an_old_hash_gets_todays_file_without_being_kept(client):
    response = client.get("/static/js/kiosk.000000000000.js")
    assert response.status_code == 200
    assert response.get_data() == (STATIC / "js" / "kiosk.js").read_bytes()
    assert response.headers["Cache-Control"] == "no-cache"
    response.close()


@pytest.mark.parametrize("name", ["vendor/htmx.min.js", "vendor/jsQR.js", "css/kiosk.css", "js/kiosk.js"])
def test_gzip_is_sent_to_browsers_that_accept_it(client, name):
    with client.application.test_request_context():
        from flask import url_for

        url = url_for("static", filename=name)
    original = (STATIC / name).read_bytes()
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == IMMUTABLE
    body = response.get_data()
    assert gzip.decompress(body) == original
    assert len(body) < len(original) / 2
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304

    plain = client.get(url)  # no Accept-Encoding: the file as it is
    assert "Content-Encoding" not in plain.headers and plain.get_data() == original
    assert "Accept-Encoding" in plain.headers["Vary"]
    plain.close()
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers
    refused.close()


@pytest.mark.parametrize("url", ["/static/../kiosk/__init__.py", "/static/missing.js",
                                 "/static/css/missing.0123456789ab.css", "/static/css"])
def test_nothing_outside_the_static_files_is_served(client, url):
    assert client.get(url).status_code == 404
