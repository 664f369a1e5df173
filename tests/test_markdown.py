"""Rendering Markdown written by authors: formatting kept, anything executable removed."""

from learnpath.markdown import render


def test_markdown_formatting_is_rendered() -> None:
    html = render("## Goal\n\nRead **charts**.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h2>Goal</h2>" in html
    assert "<strong>charts</strong>" in html
    assert "<td>1</td>" in html


def test_script_and_event_handlers_are_removed() -> None:
    html = render('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\nText')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text, never run
    assert "Text" in html


def test_link_titles_survive_and_raw_anchors_do_not() -> None:
    html = render('[x](https://example.com "t")')
    assert 'title="t"' in html
    assert "<a " not in str(render('<a href="#" onclick="x()">y</a>'))


def test_javascript_links_are_dropped_and_links_get_rel() -> None:
    html = render("[bad](javascript:alert(1)) and [good](https://example.com)")
    assert 'href="javascript' not in html
    assert 'href="https://example.com"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
