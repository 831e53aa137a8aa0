"""One rule for answering htmx: the fragment it asked for, or the whole page."""

from flask import Response, make_response, render_template, request


def wants_fragment() -> bool:
    """Return whether this request gets a fragment rather than the whole page.

    htmx restoring history after a miss in its cache also sends HX-Request, but puts the
    answer in place of the whole body: it needs the page, not a fragment.
    """
    return bool(request.htmx) and not request.htmx.history_restore_request


def vary_on_htmx(response: Response) -> Response:
    """Mark an answer that depends on HX-Request, so no cache serves one for the other."""
    response.vary.add("HX-Request")
    return response


def render_page_or_fragment(page: str, fragment: str, status: int = 200, /, **context) -> Response:
    """Render the page, or only its fragment when htmx asks for it."""
    template = fragment if wants_fragment() else page
    return vary_on_htmx(make_response(render_template(template, **context), status))
