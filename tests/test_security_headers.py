"""Security headers on every answer, and no inline script, handler or style in any page."""

from html.parser import HTMLParser

import pytest
from flask import Flask, render_template_string, url_for
from flask.testing import FlaskClient
from sqlmodel import Session
from werkzeug.test import TestResponse

from learnpath.headers import API_POLICY
from learnpath.video import player_origins
from tests.studio.test_access import EXPECTED, arrange
from tests.test_learner_get_pages import learner_pages, world


class Inline(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block, and each script's nonce."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self.nonces: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, _ in attrs:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (named[name] or "").startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}=javascript:...>")
        if tag == "style":
            self.blocked.append("<style>")
        if tag == "script":
            src = named.get("src") or ""
            if src.startswith("/static/"):
                return
            if named.get("nonce"):
                self.nonces.append(named["nonce"] or "")
            else:
                self.blocked.append(f"<script src={src!r}> without a nonce")


def check(response: TestResponse, what: str) -> None:
    """The headers every answer carries; for pages, nothing inline that the CSP would block."""
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff", what
    assert headers["X-Frame-Options"] == "DENY", what
    assert headers["Referrer-Policy"] == "same-origin", what
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe" not in policy, what
    assert headers["Cache-Control"] == "no-store", what
    if response.mimetype != "text/html":
        assert policy == API_POLICY, what
        return
    assert "script-src 'self'" in policy and "style-src 'self';" in policy, what
    page = Inline()
    page.feed(response.get_data(as_text=True))
    assert page.blocked == [], what
    assert all(f"'nonce-{nonce}'" in policy for nonce in page.nonces), what


def test_every_learner_page_carries_the_headers_and_nothing_inline(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    urls = learner_pages(app, world(catalog, login))
    for url in [*urls, "/auth/login", "/no-such-page"]:
        check(client.get(url), url)


def test_every_studio_page_carries_the_headers_and_nothing_inline(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    arrange(catalog)
    login("author", "facilitator", "admin")
    pages = 0
    for endpoint, (method, args, _, _statuses) in sorted(EXPECTED.items()):
        if method != "GET":
            continue
        with app.test_request_context():
            url = url_for(endpoint, **args)
        response = client.get(url)
        response.close()
        check(response, url)
        pages += response.status_code == 200 and response.mimetype == "text/html"
    assert pages >= 25


def test_api_errors_and_visitor_pages_carry_the_headers(client: FlaskClient) -> None:
    answers = {
        "/api/v1/openapi.json": 200,
        "/api/v1/learners": 401,
        "/api/v1/nothing": 404,
        "/xapi/about": 200,
        "/oauth/token": 405,
        "/auth/login": 200,
        "/studio/": 302,
        "/path/99999999999": 404,
    }
    for url, status in answers.items():
        response = client.get(url)
        assert response.status_code == status, url
        check(response, url)


def test_static_files_are_nosniff_and_may_be_cached(client: FlaskClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_an_inline_script_runs_only_with_this_requests_nonce(app: Flask) -> None:
    app.add_url_rule(
        "/nonced",
        "nonced",
        lambda: render_template_string('<script nonce="{{ csp_nonce() }}">go()</script>'),
    )
    client = app.test_client()
    nonces = []
    for response in (client.get("/nonced"), client.get("/nonced")):
        page = Inline()
        page.feed(response.get_data(as_text=True))
        assert page.blocked == [] and len(page.nonces) == 1
        nonce = page.nonces[0]
        assert f"script-src 'self' 'nonce-{nonce}';" in response.headers["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 20
    assert "nonce" not in client.get("/auth/login").headers["Content-Security-Policy"]


def test_the_players_of_the_video_hosts_may_be_framed(app: Flask, client: FlaskClient) -> None:
    policy = client.get("/auth/login").headers["Content-Security-Policy"]
    frame = "frame-src https://www.youtube-nocookie.com https://player.vimeo.com;"
    assert frame in policy and "media-src 'self'" in policy
    app.config["VIDEO_HOSTS"] = ["vimeo.com"]
    assert (
        "frame-src https://player.vimeo.com;"
        in client.get("/auth/login").headers["Content-Security-Policy"]
    )
    app.config["VIDEO_HOSTS"] = []
    assert "frame-src 'none'" in client.get("/auth/login").headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("hosts", "origins"),
    [
        (["youtu.be"], ["https://www.youtube-nocookie.com"]),
        (
            ["www.youtube.com", "player.vimeo.com"],
            ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        ),
        ([], []),
    ],
)
def test_player_origins_follow_the_hosts(hosts: list[str], origins: list[str]) -> None:
    assert player_origins(hosts) == origins
