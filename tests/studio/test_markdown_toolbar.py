"""Every Markdown field of the studio gets the vendored toolbar; every vendored file its LICENSE.

The toolbar is progressive enhancement: these tests check the markup it needs (a labelled
<markdown-toolbar for=the field> and the vendored module) on every studio page an admin can
open, and that the textarea itself stays a plain, labelled form field. The browser test
(tests/e2e/test_enhancements_browser.py) checks that it really inserts Markdown.
"""

import inspect
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlmodel import Session
from wtforms import Form, TextAreaField

import learnpath
from learnpath.forms import MarkdownField
from learnpath.services.catalog import drafts, facilitation
from learnpath.services.catalog.derivation import derive_program
from learnpath.studio.forms import catalog as catalog_forms
from learnpath.studio.forms import derived as derived_forms
from learnpath.studio.forms import programs as program_forms
from learnpath.studio.forms import rules as rule_forms
from tests.studio.test_access import DRAFT, EXPECTED, PUBLISHED, TEAM_DRAFT, arrange_admin

STATIC = Path(learnpath.__file__).parent / "static"
TEMPLATES = Path(learnpath.__file__).parent / "templates"
TOOLBAR = "vendor/markdown-toolbar-element/index.js"
PLAIN = {
    ("ModuleForm", "summary"): "shown as plain text under the title on lists and pages",
    ("SettingsForm", "instructors"): "one name per line, not prose",
}
"""Text areas that are not Markdown, and why."""
COHORT = {"slug": "markdown-cohort", "version": 1}
# GET pages with forms beyond the matrix's GET rows (the matrix posts to these endpoints).
MORE_PAGES = [("studio.edit_program", DRAFT), ("studio.new_rule", TEAM_DRAFT)]


class Page(HTMLParser):
    """The textareas of a page, its toolbars with their buttons, and its module scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.textareas: list[dict[str, str | None]] = []
        self.toolbars: dict[str, dict[str, str | None]] = {}
        self.buttons: dict[str, list[dict[str, str | None]]] = {}
        self.scripts: list[dict[str, str | None]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Collect what the checks look at."""
        a = dict(attrs)
        if tag == "textarea":
            self.textareas.append(a)
        elif tag == "markdown-toolbar":
            self._in = a.get("for") or ""
            self.toolbars[self._in] = a
            self.buttons[self._in] = []
        elif tag.startswith("md-") and self._in is not None:
            self.buttons[self._in].append(a)
        elif tag == "script":
            self.scripts.append(a)

    def handle_endtag(self, tag: str) -> None:
        """Leave a toolbar."""
        if tag == "markdown-toolbar":
            self._in = None


def studio_forms() -> list[type[Form]]:
    """Every form class of the studio."""
    found = []
    for module in (catalog_forms, derived_forms, program_forms, rule_forms):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Form) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_text_area_of_a_studio_form_is_markdown_or_said_to_be_plain() -> None:
    plain = set()
    markdown = set()
    for form in studio_forms():
        for name, unbound in vars(form).items():
            kind = getattr(unbound, "field_class", None)
            if kind is MarkdownField:
                markdown.add((form.__name__, name))
            elif kind is not None and issubclass(kind, TextAreaField):
                plain.add((form.__name__, name))
    assert plain == set(PLAIN)
    assert {
        ("SettingsForm", "summary"),
        ("ModuleForm", "body"),
        ("CompetencyForm", "description"),
        ("ItemForm", "stem"),
        ("ItemForm", "explanation"),
        ("OverlayForm", "text"),
    } <= markdown


def _arrange(db: Session) -> None:
    """The drafts the matrix uses, and a facilitated cohort with a note."""
    drafts.create_program(db, "Ana", "Matrix draft", 1)
    parent = drafts.find(db, PUBLISHED["slug"], PUBLISHED["version"])
    assert parent is not None
    derive_program(db, parent, "Ana", 3, "Matrix client", "Acme", "")
    cohort = derive_program(db, parent, "Ana", 2, "Markdown cohort", "Acme", "")
    facilitation.add_overlay(db, cohort, "Ana", None, {"kind": "example", "text": "Use *Q3*."})
    team = drafts.find(db, "team-lead-path", 1)
    assert team is not None
    drafts.open_draft(db, team, "Ana")
    arrange_admin(db)
    db.commit()


FILES = {"studio.payoff_plot"}  # an SVG image, not a page with fields (test_payoff_views.py)


def _pages(app: Flask) -> list[str]:
    rows: list[tuple[str, dict[str, Any]]] = [
        (endpoint, args)
        for endpoint, (method, args, _, _) in EXPECTED.items()
        if method == "GET" and endpoint not in FILES
    ]
    rows += [*MORE_PAGES, ("studio.facilitation", COHORT)]
    with app.test_request_context():
        return [url_for(endpoint, **args) for endpoint, args in rows]


def test_every_markdown_field_on_every_studio_page_has_the_toolbar(
    app: Flask, catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    _arrange(catalog)
    login("admin")
    with_markdown = []
    for url in _pages(app):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        page = Page()
        page.feed(response.get_data(as_text=True))
        for area in page.textareas:
            if area.get("id") in page.toolbars:
                continue
            assert area.get("name") in {name for _, name in PLAIN}, f"{url}: {area}"
        for target, toolbar in page.toolbars.items():
            assert target in {a.get("id") for a in page.textareas}, f"{url}: toolbar for {target}"
            assert toolbar.get("aria-label") == "Markdown formatting"
            assert toolbar.get("aria-controls") == target
            labels = [b.get("aria-label") for b in page.buttons[target]]
            assert labels and all(labels) and "Bold" in labels, f"{url}: {labels}"
            assert {b.get("role") for b in page.buttons[target]} == {"button"}
        loads = [s for s in page.scripts if (s.get("src") or "").endswith(TOOLBAR)]
        assert bool(loads) == bool(page.toolbars), url
        assert all(s.get("type") == "module" for s in loads)
        if page.toolbars:
            with_markdown.append(url)
    assert any("/modules/" in u and u.endswith("/edit") for u in with_markdown)
    assert any("/facilitation" in u for u in with_markdown)
    assert any(u.endswith("/v1/edit") for u in with_markdown)


def test_facilitator_notes_get_only_the_inline_buttons(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    _arrange(catalog)
    login("facilitator")
    page = Page()
    page.feed(client.get("/studio/programs/markdown-cohort/v1/facilitation").get_data(as_text=True))
    assert len(page.toolbars) == 2, "the note kept and the new note's text"
    for buttons in page.buttons.values():
        assert [b.get("aria-label") for b in buttons] == ["Bold", "Italic", "Code"]


def test_every_vendored_library_has_its_license_and_every_reference_exists() -> None:
    libraries = [p for p in (STATIC / "vendor").iterdir() if p.is_dir()]
    assert {p.name for p in libraries} >= {"sortablejs", "markdown-toolbar-element"}
    for library in libraries:
        license_text = (library / "LICENSE").read_text()
        assert "Permission is hereby granted" in license_text or "License" in license_text
        assert (library / "README.md").exists(), f"{library.name}: say what it is and whence"
        files = [f for f in library.rglob("*") if f.is_file()]
        assert any(f.suffix == ".js" for f in files)
    for template in TEMPLATES.rglob("*.html"):
        for name in template.read_text().split("filename='vendor/")[1:]:
            assert (STATIC / "vendor" / name.split("'")[0]).is_file(), template
