"""Markdown rendering for module bodies and notes: CommonMark, then sanitized HTML."""

from functools import lru_cache

import nh3
from flask import Flask
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML in the source is escaped by the parser, and the output is cleaned again by nh3
# (ammonia), so neither a careless nor a hostile author can inject script.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}


def render(text: str) -> Markup:
    """CommonMark source → sanitized HTML safe to put in a page."""
    html = _md.render(text)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)


@lru_cache(maxsize=4096)  # reasons repeat on every step of every path page
def render_inline(text: str) -> Markup:
    """One line of Markdown (e.g. a reason with an *emphasized* title) → sanitized inline HTML."""
    clean = nh3.clean(_md.renderInline(text), tags={"em", "strong", "code"}, attributes={})
    return Markup(clean)


def init_app(app: Flask) -> None:
    """Register the `markdown` and `markdown_inline` template filters."""
    app.add_template_filter(render, "markdown")
    app.add_template_filter(render_inline, "markdown_inline")
