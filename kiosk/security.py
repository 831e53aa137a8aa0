"""What every request and response shares for safety: body size, headers, cookies, proxies."""

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

# Nothing inline, nothing evaluated: an injected tag or attribute cannot run or restyle the page.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob:",  # the kiosk camera's stream
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "same-origin",
}


def policy_allowing(scripts: list[str], styles: list[str]) -> str:
    """The policy, plus exactly these inline scripts and styles (CSP hash sources)."""
    extra = {"script-src": scripts, "style-src": styles}
    return "; ".join(
        " ".join([directive, *extra.get(directive.split(" ", 1)[0], [])])
        for directive in CONTENT_SECURITY_POLICY.split("; ")
    )


def init_app(app: Flask) -> None:
    """Trust a reverse proxy if configured, and add the security headers to every response."""
    hops = app.config.get("PROXY_FIX_X_FOR") or 0
    if hops:
        # Behind a reverse proxy, the client's address (rate limits) and scheme come from its headers;
        # trusted only when configured, or any client could claim any address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.after_request(add_security_headers)


def add_security_headers(response):
    """Set the policy headers; keep dynamic answers (figures, exports, kiosk screens) out of caches."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def server_options(app: Flask) -> dict:
    """Return waitress's settings: it refuses an oversized body before the application reads it."""
    # A translator's recorded prompt (2 MB) is the one body allowed past MAX_CONTENT_LENGTH;
    # its route raises the limit for itself only (kiosk.languages.routes).
    return {"max_request_body_size": max(app.config["MAX_CONTENT_LENGTH"], app.config["PROMPT_MAX_BYTES"] + 65536)}
