"""Security headers on every response: CSP (with a per-request nonce), nosniff, framing, caching.

Pages get a Content-Security-Policy that allows scripts and styles from this site only (no
'unsafe-inline': templates have no inline script, handler or style attribute; an inline script
must carry `nonce="{{ csp_nonce() }}"`), players of the VIDEO_HOSTS in frames, and media from
this site. JSON and every other non-HTML answer get a policy that allows nothing. Every answer but
static files is `Cache-Control: no-store`: pages show personal data or carry CSRF tokens.
"""

import secrets

from flask import Flask, Response, current_app, g, request

from learnpath.video import player_origins

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # and frame-ancestors 'none' for browsers that read the CSP
    "Referrer-Policy": "same-origin",  # video players set their own (strict-origin...) on <iframe>
}


def csp_nonce() -> str:
    """This request's CSP nonce, for an inline <script nonce="..."> (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


def page_policy(frames: list[str], nonce: str | None) -> str:
    """The CSP of an HTML page: this site's scripts and styles, the players' frames."""
    script = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    frame = " ".join(frames) or "'none'"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script}",
            "style-src 'self'",
            "img-src 'self'",
            f"frame-src {frame}",
            "media-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def add_headers(response: Response) -> Response:
    """Set the security headers a view did not set itself."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        frames = player_origins(tuple(current_app.config["VIDEO_HOSTS"]))
        policy = page_policy(frames, g.get("csp_nonce"))
    else:
        policy = API_POLICY
    response.headers.setdefault("Content-Security-Policy", policy)
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response, and csp_nonce() to templates."""
    app.after_request(add_headers)
    app.add_template_global(csp_nonce, "csp_nonce")
