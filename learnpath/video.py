"""Video modules: an embedded player for allowed hosts, a plain link for any other URL.

Only hosts in the VIDEO_HOSTS setting get an <iframe>, and only with an embed address built
here from the video's id (never the author's URL as given), so an author cannot frame an
arbitrary page inside learnpath.
"""

import re
from pathlib import PurePosixPath
from urllib.parse import parse_qs, urlsplit

from flask import Flask, current_app
from markupsafe import Markup, escape

from learnpath.services.catalog import media
from learnpath.services.catalog.media import VideoRef

_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
YOUTUBE_PLAYER, VIMEO_PLAYER = "https://www.youtube-nocookie.com", "https://player.vimeo.com"


def embed_url(url: str, hosts: tuple[str, ...] | list[str]) -> str | None:
    """The player address of a YouTube or Vimeo video on an allowed host, else None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host not in hosts:
        return None
    if host.endswith("youtube.com"):
        video = parse_qs(parts.query).get("v", [""])[0] if parts.path == "/watch" else ""
        video = video or parts.path.removeprefix("/embed/")
        return f"{YOUTUBE_PLAYER}/embed/{video}" if _ID.match(video) else None
    if host == "youtu.be":
        video = parts.path.strip("/")
        return f"{YOUTUBE_PLAYER}/embed/{video}" if _ID.match(video) else None
    video = parts.path.strip("/").removeprefix("video/")
    return f"{VIMEO_PLAYER}/video/{video}" if video.isdigit() else None


def player_origins(hosts: tuple[str, ...] | list[str]) -> list[str]:
    """The origins of the players embed_url can build for these hosts (the CSP's frame-src)."""
    youtube = {h for h in hosts if h.endswith("youtube.com") or h == "youtu.be"}
    # As in embed_url: a YouTube host gets the YouTube player, any other host the Vimeo one.
    return [YOUTUBE_PLAYER] * bool(youtube) + [VIMEO_PLAYER] * bool(set(hosts) - youtube)


def render_video(url: str, title: str = "Video") -> Markup:
    """An embedded player for an allowed host, or a link that opens the video elsewhere.

    A video file of the catalog (`media/...`, see services/catalog/media.py) is named, not
    played: the learner's module page plays it (`render_file`) from a route that checks access.
    """
    ref = VideoRef.parse(url)
    if ref.is_file:
        captions = Markup(", captions {0}").format(ref.captions) if ref.captions else ""
        return Markup(
            '<p class="video-link">Video file {0}{1}: learners watch it on the module page.</p>'
        ).format(ref.video, captions)
    if urlsplit(url).scheme not in ("http", "https"):
        return Markup("")  # nothing else is a video address (and javascript: must not link)
    player = embed_url(url, tuple(current_app.config["VIDEO_HOSTS"]))
    if player is None:
        return Markup(
            '<p class="video-link"><a href="{0}" rel="noopener noreferrer nofollow">'
            "Watch the video: {1}</a></p>"
        ).format(url, title)
    return Markup(
        '<div class="video"><iframe src="{0}" title="{1}" loading="lazy" '
        'allow="encrypted-media; picture-in-picture; fullscreen" '
        'referrerpolicy="strict-origin-when-cross-origin"></iframe></div>'
    ).format(player, escape(title))


def render_file(src: str, captions_src: str, path: str, title: str) -> Markup:
    """An HTML5 player of a video file at `src`, English captions on, with its accessible name."""
    kind = media.VIDEO_TYPES[PurePosixPath(path).suffix.lower()]
    track = (
        Markup('<track kind="captions" srclang="en" label="English" src="{0}" default>').format(
            captions_src
        )
        if captions_src
        else Markup("")
    )
    return Markup(
        '<figure class="video-file"><video controls preload="metadata" width="640" height="360" '
        'aria-label="Video: {0}"><source src="{1}" type="{2}">{3}'
        '<a href="{1}">Download the video</a></video>'
        "<figcaption>{4} The transcript is in the lesson below.</figcaption></figure>"
    ).format(
        title,
        src,
        kind,
        track,
        "Captions are on; turn them off in the player." if captions_src else "",
    )


def init_app(app: Flask) -> None:
    """Register the `video` template filter and the `video_file` player."""
    app.add_template_filter(render_video, "video")
    app.add_template_global(render_file, "video_file")
