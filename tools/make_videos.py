"""Make the shipped video modules' videos from their transcripts (`make videos`).

For every module of format `video` under content/modules, each paragraph of its `## Transcript`
(`**mm:ss – mm:ss** text`) is one segment, shown under the matching `## Script outline` item.
Each sentence is spoken by espeak-ng and shown on a plain 640x360 slide; the slides and the
voice become content/media/<module>.webm (VP9 at 4 frames a second, Opus mono), and the same
sentences with their timings become content/media/<module>.vtt (WebVTT captions). The
transcript's time stamps are rewritten to the real timings. Needs ffmpeg and espeak-ng
(Debian: `apt-get install ffmpeg espeak-ng`) and Pillow. Rerunning it makes the same files.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from tools.slides import draw_slide, vtt

ROOT = Path(__file__).resolve().parent.parent
RATE = 22050  # espeak-ng's output sample rate
GAP_S, SEGMENT_GAP_S = 0.4, 1.2  # silence after a sentence, after a segment
STAMP = re.compile(r"^\*\*(\d\d:\d\d) – (\d\d:\d\d)\*\*\s*(.+)$")
SENTENCE = re.compile(r"(?<=[.!?])[\"”]?\s+(?=[A-Z\"“*])")


@dataclass
class Line:
    """One spoken sentence: its segment's heading, its text, where it starts and how long."""

    heading: str
    text: str
    start: float = 0.0
    seconds: float = 0.0


def plain(markdown: str) -> str:
    """Markdown emphasis and code marks removed: the words as they are spoken and shown."""
    return re.sub(r"[*`]", "", markdown).strip()


def segments(body: str) -> list[tuple[str, str]]:
    """(outline item, transcript paragraph) per segment of a module's body."""
    outline = re.findall(r"^\d+\.\s+(.+)$", _section(body, "Script outline"), re.M)
    paragraphs = [
        m.group(3) for m in map(STAMP.match, _section(body, "Transcript").splitlines()) if m
    ]
    if len(outline) != len(paragraphs):
        raise SystemExit(f"{len(outline)} outline items but {len(paragraphs)} transcript stamps")
    return list(zip(outline, paragraphs, strict=True))


def _section(body: str, title: str) -> str:
    """The text of a `## title` section."""
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", body, re.M | re.S)
    if found is None:
        raise SystemExit(f"no '## {title}' section")
    return found.group(1)


def speak(text: str, out: Path, voice: str, speed: int) -> float:
    """Write the sentence spoken by espeak-ng to `out` (WAV); its length in seconds."""
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(out), text],
        check=True,
        capture_output=True,
    )
    with wave.open(str(out)) as w:
        return w.getnframes() / w.getframerate()


def narrate(parts: list[tuple[str, str]], work: Path, voice: str, speed: int) -> list[Line]:
    """Speak every sentence into work/NNN.wav; the lines with their start and length."""
    lines: list[Line] = []
    clock = 0.0
    for heading, paragraph in parts:
        sentences = [s for s in SENTENCE.split(plain(paragraph)) if s.strip()]
        for i, sentence in enumerate(sentences):
            line = Line(plain(heading), sentence.strip(), start=clock)
            line.seconds = speak(line.text, work / f"{len(lines):03d}.wav", voice, speed)
            clock += line.seconds + (SEGMENT_GAP_S if i == len(sentences) - 1 else GAP_S)
            lines.append(line)
    return lines


def join_audio(lines: list[Line], work: Path) -> Path:
    """One WAV of every sentence at its start time, silence between."""
    out = work / "voice.wav"
    with wave.open(str(out), "wb") as joined:
        joined.setnchannels(1)
        joined.setsampwidth(2)
        joined.setframerate(RATE)
        written = 0
        for n, line in enumerate(lines):
            with wave.open(str(work / f"{n:03d}.wav")) as part:
                frames = part.readframes(part.getnframes())
            pad = max(0, round(line.start * RATE) - written)
            joined.writeframes(b"\0\0" * pad + frames)
            written += pad + len(frames) // 2
    return out


def render(title: str, lines: list[Line], work: Path, total: float) -> Path:
    """One slide per sentence and an ffmpeg concat list that shows each until the next starts."""
    listing = work / "slides.txt"
    entries = []
    for n, line in enumerate(lines):
        image = work / f"{n:03d}.png"
        draw_slide(title, line.heading, line.text, image)
        until = lines[n + 1].start if n + 1 < len(lines) else total
        entries.append(f"file '{image}'\nduration {until - line.start:.3f}\n")
    entries.append(f"file '{work / f'{len(lines) - 1:03d}.png'}'\n")  # the concat demuxer's rule
    listing.write_text("".join(entries))
    return listing


def encode(listing: Path, voice: Path, out: Path) -> None:
    """The slides and the voice as a small WebM: VP9 at 4 frames a second, Opus mono."""
    command = [
        *("ffmpeg", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", str(listing)),
        *("-i", str(voice), "-vf", "fps=4,format=yuv420p", "-c:v", "libvpx-vp9"),
        *("-b:v", "0", "-crf", "45", "-g", "40", "-row-mt", "1", "-deadline", "good"),
        *("-cpu-used", "4", "-c:a", "libopus", "-b:a", "20k", "-ac", "1", "-shortest"),
        *("-metadata", f"title={out.stem}", str(out)),
    ]
    subprocess.run(
        command,
        check=True,
    )


def stamp(body: str, lines: list[Line], total: float) -> str:
    """The body with each transcript paragraph's time stamps set to its real timing."""
    starts = [
        line.start for n, line in enumerate(lines) if n == 0 or line.heading != lines[n - 1].heading
    ]
    ends = [*starts[1:], total]
    times = iter(zip(starts, ends, strict=True))

    def restamp(match: re.Match[str]) -> str:
        start, end = next(times)
        return f"**{_mmss(start)} – {_mmss(end)}** {match.group(3)}"

    return re.sub(STAMP.pattern, restamp, body, flags=re.M)


def _mmss(seconds: float) -> str:
    """Seconds as mm:ss."""
    whole = round(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def make(path: Path, media: Path, voice: str, speed: int) -> float:
    """Make one module's video and captions, restamp its transcript; the video's length (s)."""
    text = path.read_text()
    _, front, body = text.split("---\n", 2)
    title = re.search(r"^title:\s*(.+)$", front, re.M).group(1)  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        lines = narrate(segments(body), work, voice, speed)
        total = lines[-1].start + lines[-1].seconds + SEGMENT_GAP_S
        encode(
            render(title, lines, work, total), join_audio(lines, work), media / f"{path.stem}.webm"
        )
    (media / f"{path.stem}.vtt").write_text(vtt([(x.start, x.seconds, x.text) for x in lines]))
    path.write_text(f"---\n{front}---\n{stamp(body, lines, total)}")
    return total


def main(argv: list[str] | None = None) -> int:
    """Make the videos of the given modules (default: every video module with a transcript)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", type=Path)
    parser.add_argument("--voice", default="en-us")
    parser.add_argument("--speed", type=int, default=165, help="words per minute")
    args = parser.parse_args(argv)
    content = ROOT / "content"
    modules = args.modules or [
        p
        for p in sorted((content / "modules").rglob("*.md"))
        if "\nformat: video\n" in p.read_text()
    ]
    (content / "media").mkdir(exist_ok=True)
    for path in modules:
        seconds = make(path, content / "media", args.voice, args.speed)
        size = (content / "media" / f"{path.stem}.webm").stat().st_size
        print(f"{path.stem}: {_mmss(seconds)} ({seconds:.0f} s), {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
