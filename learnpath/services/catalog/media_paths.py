"""Media paths in content files: what a video or captions reference may name.

Pure rules, no files opened: the content schema checks references with them, and `media`
(which does open files) builds on them; kept apart so the schema does not import `media`.
"""

import re
from collections.abc import Mapping
from pathlib import PurePosixPath

MEDIA = "media"
VIDEO_TYPES = {".webm": "video/webm", ".mp4": "video/mp4"}
CAPTION_TYPES = {".vtt": "text/vtt"}
_SAFE = re.compile(r"^[A-Za-z0-9._/-]+$")


def is_url(value: str) -> bool:
    """Whether a video reference is a web address (else it is a media file path)."""
    return value.startswith(("http://", "https://"))


def path_error(value: str, types: Mapping[str, str]) -> str | None:
    """Why `value` is not a file path under media/ of one of these types; None when it is."""
    parts = PurePosixPath(value).parts
    example = f"media/intro{next(iter(types))}"
    if not _SAFE.match(value) or parts[:1] != (MEDIA,) or len(parts) < 2 or ".." in parts:
        return f"'{value}' is not a file under media/ (write it as e.g. {example})"
    suffix = PurePosixPath(value).suffix.lower()
    if suffix not in types:
        return f"'{value}' is not a {' or '.join(types)} file (e.g. {example})"
    return None
