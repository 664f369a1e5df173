"""Slides and captions for tools/make_videos.py: a plain 640x360 slide per sentence, WebVTT cues."""

from __future__ import annotations

import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (640, 360)
FONTS = Path("/usr/share/fonts/truetype/dejavu")
INK, PAPER, ACCENT, MUTED = "#1b1f24", "#fbfaf7", "#1f5f8b", "#5b6470"
CUE_WORDS = 12  # a caption cue holds at most this many words (two short lines)


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (Debian's fonts-dejavu-core), bold or book."""
    return ImageFont.truetype(
        str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size
    )


def draw_slide(title: str, heading: str, text: str, out: Path) -> None:
    """A slide: the module's title on a band, the segment's heading, the sentence in large type."""
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE[0], 40), fill=ACCENT)
    draw.text((20, 11), title, font=_font(False, 16), fill=PAPER)
    heading_lines = textwrap.wrap(heading, 48)[:2]
    draw.multiline_text(
        (20, 56), "\n".join(heading_lines), font=_font(True, 20), fill=ACCENT, spacing=6
    )
    size = 22 if len(text) < 200 else 18
    body = textwrap.fill(text, width=48 if size == 22 else 58)
    top = 56 + 28 * len(heading_lines) + 18
    draw.multiline_text((20, top), body, font=_font(False, size), fill=INK, spacing=8)
    draw.text((20, SIZE[1] - 28), "learnpath · narrated slides", font=_font(False, 12), fill=MUTED)
    image.save(out)


def cues(start: float, seconds: float, text: str) -> list[tuple[float, float, str]]:
    """A sentence split into cues of at most CUE_WORDS words, its time shared by their length."""
    words = text.split()
    chunks = [" ".join(words[i : i + CUE_WORDS]) for i in range(0, len(words), CUE_WORDS)]
    total = sum(len(c) for c in chunks)
    out, clock = [], start
    for chunk in chunks:
        share = seconds * len(chunk) / total
        out.append((clock, clock + share, chunk))
        clock += share
    return out


def _stamp(seconds: float) -> str:
    """Seconds as a WebVTT time stamp (hh:mm:ss.mmm)."""
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def vtt(lines: list[tuple[float, float, str]]) -> str:
    """WebVTT captions: per (start, seconds, sentence), its cues."""
    blocks = ["WEBVTT\n"]
    for start, seconds, text in lines:
        for begin, end, chunk in cues(start, seconds, text):
            blocks.append(f"{_stamp(begin)} --> {_stamp(end)}\n{textwrap.fill(chunk, 42)}\n")
    return "\n".join(blocks)
