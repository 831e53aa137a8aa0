"""Reading ids and text that arrive from outside: only what the database can hold, never a crash.

``str.isdigit()`` accepts "²" and "١٢" (int() then fails or reads an Arabic-Indic number as an
id), PostgreSQL refuses NUL bytes in text, and an id past 2**31 - 1 overflows PostgreSQL's
integer (SQLite's past 2**63). One reading for every form, query string and URL.
"""

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer, the narrower of our two databases


def parse_id(text: str | None) -> int | None:
    """Return the record id written in ``text`` (ASCII digits, in range), or None."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdecimal()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


class IdConverter(IntegerConverter):
    """``<int:...>`` in URLs: ASCII digits only (Python's ``\\d`` matches any script's) and in range."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID,
                 signed: bool = False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _has_nul(values) -> bool:
    return any("\x00" in value for _name, listed in values.lists() for value in listed if isinstance(value, str))


def _refuse_nul_bytes():
    # No field of this application takes a NUL byte, and PostgreSQL refuses them in text.
    if "\x00" in request.path or _has_nul(request.args) or _has_nul(request.form):
        abort(400)


def init_app(app: Flask) -> None:
    """Install the id converter (before routes are registered) and the NUL-byte guard."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(_refuse_nul_bytes)
