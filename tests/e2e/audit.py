"""What the accessibility and layout tests check on a page: axe-core, one h1, no sideways scroll.

axe-core runs in the page through axe-playwright-python (which ships axe.min.js); a violation of
impact "serious" or "critical" fails the test, the others are reported. Every page audited adds a
line to REPORT, printed at the end of the run (pytest_terminal_summary in conftest.py).
"""

import itertools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
"""The run's screenshots (git-ignored)."""
FAILING = ("serious", "critical")
WIDTHS = {"desktop": 1280, "phone": 390}
REPORT: list[str] = []
"""One line per audited page: its URL and the violations axe found, by impact."""

# How far the page scrolls sideways: 0 when everything fits the viewport.
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The innermost elements that reach past the right edge: what to fix when a page overflows.
WIDE = """() => { const edge = document.documentElement.clientWidth + 1;
  const out = el => el.getBoundingClientRect().right > edge;
  return [...document.querySelectorAll('main *')].filter(out)
    .filter(el => ![...el.children].some(out)).map(el => el.outerHTML.slice(0, 60)); }"""
# Progress bars drawn narrower than this are collapsed (the phone bug of issue 15).
NARROW_BARS = """() => [...document.querySelectorAll('progress')]
  .filter(p => p.getBoundingClientRect().width < 40).length"""
# Clickable things smaller than 44 × 44 CSS px (WCAG 2.5.5 target size), text links aside.
# A radio button or checkbox is clicked through its label, which is its target.
TARGETS = "button, a.button, select, summary, input:not([type=hidden])"
SMALL_TARGETS = f"""() => [...document.querySelectorAll('{TARGETS}')]
  .filter(el => el.offsetParent !== null)
  .map(el => ['radio', 'checkbox'].includes(el.type) && el.closest('label') || el)
  .filter(el => el.getBoundingClientRect().height < 44)
  .map(el => el.outerHTML.slice(0, 80))"""
# Heading levels in document order, to check that none skips a level going down.
HEADINGS = "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"


@dataclass
class Findings:
    """What one page failed, keyed by what failed."""

    problems: dict[str, list[str]] = field(default_factory=dict)

    def add(self, url: str, what: str) -> None:
        """Note a failure of `url`."""
        self.problems.setdefault(url, []).append(what)


def axe(page: Page, url: str, width: str, findings: Findings) -> None:
    """Run axe-core on the open page; serious and critical violations are findings."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    counts = Counter(v["impact"] for v in violations)
    summary = ", ".join(f"{n} {impact}" for impact, n in sorted(counts.items())) or "none"
    REPORT.append(f"{width:7s} {url}: {summary}")
    for v in violations:
        if v["impact"] in FAILING:
            where = "; ".join(n["target"][0] for n in v["nodes"][:3])
            findings.add(url, f"axe {v['impact']} {v['id']} ({width}): {v['help']} at {where}")


def structure(page: Page, url: str, findings: Findings) -> None:
    """One h1, first of the headings, and no heading that skips a level going down."""
    levels = page.evaluate(HEADINGS)
    if levels.count(1) != 1 or levels[0] != 1:
        findings.add(url, f"headings {levels}: want one h1, first")
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    if skips:
        findings.add(url, f"heading levels skip: {skips}")


def phone_layout(page: Page, url: str, findings: Findings) -> None:
    """At 390 px: no sideways scrolling, progress bars keep their width, targets ≥ 44 px."""
    overflow = page.evaluate(OVERFLOW)
    if overflow > 0:
        wide = page.evaluate(WIDE)[:3]
        findings.add(url, f"scrolls sideways by {overflow} px at 390 px: {wide}")
    if page.evaluate(NARROW_BARS):
        findings.add(url, "a progress bar is narrower than 40 px at 390 px")
    small = page.evaluate(SMALL_TARGETS)
    if small:
        findings.add(url, f"targets under 44 px at 390 px: {small[:3]}")


def screenshot(page: Page, folder: str, name: str) -> None:
    """Save a full-page screenshot as screenshots/<folder>/<name>.png."""
    path = SCREENSHOTS / folder / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
