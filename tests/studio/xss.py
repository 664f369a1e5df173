"""An XSS corpus and a checker that counts what a browser would execute in a page."""

from html.parser import HTMLParser

CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "'><body onload=alert(4)>",
    "[click](javascript:alert(5))",
    '<a href="javascript:alert(6)">x</a>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)",
    '<iframe src="javascript:alert(8)"></iframe>',
    "<details open ontoggle=alert(9)>",
    "</textarea><script>alert(10)</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(11)>",
    "![x](javascript:alert(12))",
    "<object data=javascript:alert(13)>",
    "`<script>`alert(14)</script>",
    '<form action="javascript:alert(15)"><button>go</button></form>',
    "{{ config }}{% print 16 %}",
]

_URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href"}
_ACTIVE_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base"}


class _Executable(HTMLParser):
    """Finds script elements, event handlers, script URLs and active embeds."""

    def __init__(self, allowed_frames: tuple[str, ...]) -> None:
        super().__init__()
        self.found: list[str] = []
        self.allowed_frames = allowed_frames

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "iframe" and (values.get("src") or "").startswith(self.allowed_frames):
            return
        if tag == "script" and (values.get("src") or "").startswith("/static/"):
            return  # the app's own files (the drag-to-reorder of the draft editor)
        if tag in _ACTIVE_TAGS and not (
            (tag == "meta" and "charset" in values) or "name" in values
        ):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            scheme = (value or "").strip().lower().replace("\x00", "")
            if name in _URL_ATTRS and scheme.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag} {name}={value}")


def executable(page: str) -> list[str]:
    """What in the page would run script (allowed video players and /static/ files not counted)."""
    parser = _Executable(("https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/"))
    parser.feed(page)
    return parser.found
