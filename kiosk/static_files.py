"""Static files under content-hashed names, kept a year by browsers, sent gzip-compressed.

`url_for('static', filename='css/kiosk.css')` gives `/static/css/kiosk.<hash>.css`, where the
hash is taken from the file's content: a changed file gets a new name, so a browser may keep
each name forever without asking again (`immutable`). A resident's phone over 3G then loads
a page in one request instead of one per file plus revalidations. The plain name still
answers, revalidated each time (`no-cache` and an ETag), for anything linking to it directly.

Text files go out gzip-compressed to clients that accept it (htmx is 52 KB, 16 KB gzipped),
compressed once per content and kept in memory: the files are few and small.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import mimetypes
import os
import re
import stat
from dataclasses import dataclass, field

from flask import Flask, Response, abort, current_app, request, send_from_directory
from flask.sessions import SessionInterface
from werkzeug.security import safe_join

HASH_LENGTH = 12
HASHED_NAME = re.compile(rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.[A-Za-z0-9]+)$")
ONE_YEAR = 365 * 24 * 3600
COMPRESSIBLE = {".css", ".js", ".mjs", ".svg", ".json", ".txt", ".map", ".html"}
MIN_COMPRESSED_SIZE = 256  # below this, the gzip header costs more than it saves


@dataclass
class StaticFile:
    """One file of the static folder as last read: its content hash, and its gzip body once asked."""

    path: str
    mtime_ns: int
    size: int
    digest: str
    gzipped: bytes | None = field(default=None, repr=False)
    inline: Inline | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Inline:
    """A file's text to put inside a page, and the CSP source that lets exactly that text run."""

    text: str
    csp_source: str


class StaticFiles:
    """The static folder's files by name, re-read whenever one changes on disk."""

    def __init__(self, folder: str):
        self.folder = folder
        self._files: dict[str, StaticFile] = {}

    def get(self, filename: str) -> StaticFile | None:
        """Return the file as it is now, or None if there is no such regular file."""
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            info = os.stat(path)
        except (OSError, ValueError):  # ValueError: a NUL byte in the name
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        known = self._files.get(path)
        # A stat per lookup keeps names right when files change under a running server
        # (a deploy, `make` refreshing static/vendor); it costs microseconds.
        if known is None or (known.mtime_ns, known.size) != (info.st_mtime_ns, info.st_size):
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()[:HASH_LENGTH]
            known = StaticFile(path, info.st_mtime_ns, info.st_size, digest)
            self._files[path] = known  # by path: "a/./b.css" and "a/b.css" are one file
        return known

    def hashed_name(self, filename: str) -> str:
        """Return `dir/name.<hash>.ext` for an existing file with an extension, else the name as given."""
        stem, ext = os.path.splitext(filename)
        found = self.get(filename) if ext and stem and not stem.endswith("/") else None
        return f"{stem}.{found.digest}{ext}" if found else filename

    def gzipped(self, found: StaticFile) -> bytes:
        if found.gzipped is None:
            with open(found.path, "rb") as f:
                # mtime=0: the same content always gives the same bytes.
                found.gzipped = gzip.compress(f.read(), compresslevel=9, mtime=0)
        return found.gzipped

    def inline(self, filename: str) -> Inline:
        """Return the file's text for a <script> or <style> element, with its CSP hash."""
        found = self.get(filename)
        if found is None:
            raise FileNotFoundError(filename)
        if found.inline is None:
            with open(found.path, "rb") as f:
                data = f.read()
            text = data.decode("utf-8")
            if "</script" in text.lower() or "</style" in text.lower():
                raise ValueError(f"{filename} would close its element early")
            digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
            found.inline = Inline(text, f"'sha256-{digest}'")
        return found.inline


def static_files() -> StaticFiles:
    return current_app.extensions["static_files"]


def hash_static_urls(endpoint: str, values: dict) -> None:
    """Give every url_for('static', ...) the content-hashed name of its file."""
    if endpoint == "static" and "filename" in values:
        values["filename"] = static_files().hashed_name(values["filename"])


def serve_static(filename: str) -> Response:
    """Send a static file: forever cacheable under its hashed name, compressed where accepted."""
    files = static_files()
    found, immutable = files.get(filename), False
    match = HASHED_NAME.match(filename)
    if found is None and match:
        found = files.get(match["stem"] + match["ext"])
        # A hash of older content (a page from before a deploy) gets today's file, revalidated:
        # caching it for a year under that name would pin the wrong content.
        immutable = found is not None and found.digest == match["digest"]
    if found is None:
        abort(404)
    name = os.path.relpath(found.path, files.folder)
    ext = os.path.splitext(name)[1].lower()
    compressible = ext in COMPRESSIBLE and found.size >= MIN_COMPRESSED_SIZE
    if compressible and request.accept_encodings.quality("gzip") > 0:
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = current_app.response_class(files.gzipped(found), mimetype=mimetype)
        response.headers["Content-Encoding"] = "gzip"
        # Not the plain file's ETag: a cache must never answer one encoding with the other.
        response.set_etag(f"{found.digest}-gzip")
        response.last_modified = found.mtime_ns // 1_000_000_000
        response.make_conditional(request)
    else:
        response = send_from_directory(files.folder, name)
    if compressible:
        response.vary.add("Accept-Encoding")
    if immutable:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    else:
        response.cache_control.no_cache = True
        response.cache_control.public = None
        response.cache_control.max_age = None
    return response


class NoSessionForStaticFiles(SessionInterface):
    """The app's session interface, except that a static file leaves the session cookie alone.

    Flask marks a response whose session was read at all (Flask-Login reads it after every
    request) "Vary: Cookie", and Chromium revalidates a cached file whose request cookie has
    changed since: the session cookie changes with every answer, so a file kept a year would
    cost a round trip again on the next page.
    """

    def __init__(self, inner: SessionInterface, prefix: str):
        self.inner = inner
        self.prefix = prefix

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def open_session(self, app, request):
        return self.inner.open_session(app, request)

    def save_session(self, app, session, response):
        if request.path.startswith(self.prefix) and not session.modified:
            return None  # nothing to save (an error page may have written it: that one is saved)
        return self.inner.save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Serve the app's static folder this way and hash its URLs."""
    app.extensions["static_files"] = StaticFiles(app.static_folder)
    app.session_interface = NoSessionForStaticFiles(app.session_interface, app.static_url_path + "/")
    app.url_defaults(hash_static_urls)
    app.view_functions["static"] = serve_static
