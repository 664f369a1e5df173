"""Video files of video modules: where a module's video and captions are, checked and copied.

A module's `video` is an http(s) URL, or a file of the catalog folder's media/ directory
(`media/<name>.webm` or `.mp4`), with optional `captions` (`media/<name>.vtt`, WebVTT). The
database keeps both in Module.video_url, space-separated (media paths hold no spaces). Import
copies the folder's media files into the app's media directory (MEDIA_DIR, default
instance/media), so the app serves them without the content folder; export copies the files its
modules name back into the folder's media/.
"""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from learnpath.models import Module
from learnpath.services.catalog.media_paths import (
    CAPTION_TYPES,
    MEDIA,
    VIDEO_TYPES,
    is_url,
    path_error,
)

if TYPE_CHECKING:
    from learnpath.services.catalog.parsed import At
    from learnpath.services.catalog.schema import ModuleIn
    from learnpath.services.catalog.sources import Problem


@dataclass(frozen=True)
class VideoRef:
    """A module's video (URL or media path) and its captions' media path ('' = none)."""

    video: str = ""
    captions: str = ""

    @classmethod
    def parse(cls, stored: str) -> VideoRef:
        """The reference kept in Module.video_url."""
        video, _, captions = stored.strip().partition(" ")
        return cls(video, captions.strip())

    def stored(self) -> str:
        """The value kept in Module.video_url."""
        return " ".join(part for part in (self.video, self.captions) if part)

    @property
    def is_file(self) -> bool:
        """Whether the video is a media file the app serves."""
        return bool(self.video) and not is_url(self.video)

    def files(self) -> list[str]:
        """The media paths it names (video file, captions)."""
        return [p for p in (self.video if self.is_file else "", self.captions) if p]


def in_media(directory: Path, path: str) -> Path | None:
    """The file a media path names in a media directory, if it is there and inside it."""
    if path_error(path, {**VIDEO_TYPES, **CAPTION_TYPES}) is not None:
        return None
    relative = PurePosixPath(path).relative_to(MEDIA)
    found = (directory / relative).resolve()
    inside = found.is_relative_to(directory.resolve())
    return found if inside and found.is_file() else None


def missing(module: ModuleIn, directory: Path) -> list[tuple[str, str]]:
    """(field, media path) of each file the module names that `directory` does not hold."""
    named = [(field, getattr(module, field) or "") for field in ("video", "captions")]
    return [
        (field, value)
        for field, value in named
        if value and not is_url(value) and in_media(directory, value) is None
    ]


def check_files(root: Path, modules: Iterable[At[ModuleIn]], problems: list[Problem]) -> None:
    """Every media file a module names exists in the folder's media/ directory."""
    for at in modules:
        for field, value in missing(at.model, root / MEDIA):
            problems.append(at.problem((field,), f"file {value} not found in {root / MEDIA}"))


def copy_media(source: Path, dest: Path) -> list[str]:
    """Copy the video and caption files under `source` into `dest`; the names that changed."""
    copied = []
    for path in sorted(source.rglob("*")) if source.is_dir() else []:
        if path.suffix.lower() not in {**VIDEO_TYPES, **CAPTION_TYPES} or not path.is_file():
            continue
        target = dest / path.relative_to(source)
        if target.exists() and filecmp.cmp(path, target, shallow=False):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        shutil.copyfile(path, partial)
        partial.replace(target)  # a reader never sees half a file
        copied.append(str(target.relative_to(dest)))
    return copied


def referenced(session: Session) -> list[str]:
    """The media paths the catalog's modules name, sorted."""
    stored = session.exec(select(Module.video_url).where(Module.video_url != "")).all()
    return sorted({p for value in stored for p in VideoRef.parse(value).files()})


def export_files(media_dir: Path, folder: Path, paths: Iterable[str]) -> list[Path]:
    """Copy these media files from the app's media directory into folder/media; those written."""
    written = []
    for path in paths:
        found = in_media(media_dir, path)
        if found is not None:
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found, target)
            written.append(target)
    return written
