"""Every studio page in Chromium at 1280 and 390 px: axe-core, one h1, no sideways scrolling.

Runs after the other browser tests (marker after_e2e) over the pages the studio crawl opens
(tests/e2e/test_studio_pages_browser.py: its routes and the data it makes), as an author, who
may open them all. Serious and critical axe-core violations fail; the summary is printed.
"""

import pytest
from flask import url_for

from tests.e2e.conftest import LiveApp

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is a dev dependency")

from playwright.sync_api import Page

from tests.e2e.audit import WIDTHS, Findings, axe, phone_layout, screenshot, structure
from tests.e2e.browsing import staff
from tests.e2e.test_studio_pages_browser import fillings, samples, status_of, studio_pages

pytestmark = [pytest.mark.browser, pytest.mark.after_e2e]


def studio_urls(live: LiveApp, page: Page) -> list[tuple[str, str]]:
    """(name, URL) of every studio GET page, with the first parameters it opens with."""
    data = samples(live)
    found = []
    for rule in studio_pages(live):
        for values in fillings(rule, data):
            with live.app.test_request_context():
                url = url_for(rule.endpoint, **values)
            if status_of(page, url) == 200:
                found.append((rule.endpoint.removeprefix("studio."), url))
                break
    return found


def test_every_studio_page_passes_axe_and_fits_a_phone(page: Page, live_app: LiveApp) -> None:
    staff(live_app, page, "author")
    urls = studio_urls(live_app, page)
    assert len(urls) >= len(studio_pages(live_app)) - 2, "most studio pages open for an author"
    findings = Findings()
    for width, pixels in WIDTHS.items():
        page.set_viewport_size({"width": pixels, "height": 900})
        for name, url in urls:
            page.goto(url)
            screenshot(page, f"studio/a11y/{width}", name)
            axe(page, url, width, findings)
            if width == "desktop":
                structure(page, url, findings)
            else:
                phone_layout(page, url, findings)
    assert not findings.problems, "\n".join(
        f"{url}: {p}" for url, problems in findings.problems.items() for p in problems
    )
