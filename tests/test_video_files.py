"""Video modules carry a video file (issues 15 and 20): checked at import, copied, served, shown.

A module's `video` may be a file under the catalog's media/ with `captions` (WebVTT); import
refuses a missing file, a path outside media/ and another extension, naming the file and field;
import-content copies the files into MEDIA_DIR, export-content copies them back; the learner's
module page plays it with captions from a route that checks access and answers Range requests.
"""

import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, select

from learnpath.models import Enrollment, Module
from learnpath.services.catalog import CatalogError, media, module_edits
from learnpath.services.catalog.authoring import Invalid
from learnpath.services.catalog.loader import load_folder
from learnpath.services.catalog.media import VideoRef
from tests.conftest import CONTENT
from tests.test_plan_events import enrolled

SHIPPED = ("dl-reading-charts-video", "fb-sbi-video", "sec-phishing-video")
LESSON = Path("modules") / "information-security" / "sec-phishing-video.md"
VIDEO = "video: media/sec-phishing-video.webm\n"
CAPTIONS = "captions: media/sec-phishing-video.vtt\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped catalog folder, media included."""
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


def problems_after(folder: Path, old: str, new: str) -> list[str]:
    """The import's problems once `old` is replaced by `new` in the video lesson's file."""
    lesson = folder / LESSON
    assert old in lesson.read_text()
    lesson.write_text(lesson.read_text().replace(old, new))
    with pytest.raises(CatalogError) as caught:
        load_folder(folder)
    return [str(p) for p in caught.value.problems]


def test_the_shipped_catalog_has_the_three_videos_with_captions(catalog: Session) -> None:
    total = 0
    for slug in SHIPPED:
        module = catalog.exec(select(Module).where(Module.slug == slug)).one()
        ref = VideoRef.parse(module.video_url)
        assert ref == VideoRef(f"media/{slug}.webm", f"media/{slug}.vtt")
        video = CONTENT / ref.video
        assert video.read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # a Matroska/WebM file
        assert (CONTENT / ref.captions).read_text().startswith("WEBVTT\n")
        assert "## Transcript\n\n**00:00 – " in module.body
        total += video.stat().st_size
    assert total < 6_000_000
    assert media.referenced(catalog) == sorted(
        f"media/{slug}{ext}" for slug in SHIPPED for ext in (".vtt", ".webm")
    )


def test_a_missing_file_is_refused_naming_the_module_file_and_field(folder: Path) -> None:
    (folder / "media" / "sec-phishing-video.vtt").unlink()
    [problem] = problems_after(folder, VIDEO, VIDEO)
    assert "sec-phishing-video.md:" in problem and "captions: file media/sec-phishing" in problem
    assert "not found" in problem


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            VIDEO,
            "video: media/../competencies.yaml\n",
            "video: 'media/../competencies.yaml' is not",
        ),
        (VIDEO, "video: ../secret.webm\n", "video: '../secret.webm' is not a file under media/"),
        (VIDEO, "video: /etc/x.webm\n", "video: '/etc/x.webm' is not a file under media/"),
        (VIDEO, "video: media/clip.avi\n", "video: 'media/clip.avi' is not a .webm or .mp4 file"),
        (CAPTIONS, "captions: media/x.srt\n", "captions: 'media/x.srt' is not a .vtt file"),
        (VIDEO, "video: https://youtu.be/abcdefgh\n", "'captions' go with a video file"),
    ],
)
def test_a_bad_media_path_is_refused_naming_the_file_and_field(
    folder: Path, old: str, new: str, says: str
) -> None:
    [problem] = problems_after(folder, old, new)
    assert "sec-phishing-video.md:" in problem and says in problem


def test_a_link_out_of_the_media_folder_is_not_a_media_file(folder: Path) -> None:
    (folder / "media" / "escape.webm").symlink_to(folder / "competencies.yaml")
    [problem] = problems_after(folder, VIDEO, "video: media/escape.webm\n")
    assert "video: file media/escape.webm not found" in problem


def test_import_copies_the_media_and_export_writes_them_back(
    runner: FlaskCliRunner, folder: Path, tmp_path: Path
) -> None:
    runner.app.config["MEDIA_DIR"] = str(tmp_path / "served")
    result = runner.invoke(args=["import-content", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Copied 6 media file(s)" in result.output
    served = tmp_path / "served" / "fb-sbi-video.webm"
    assert served.read_bytes() == (CONTENT / "media" / "fb-sbi-video.webm").read_bytes()
    assert "Copied" not in runner.invoke(args=["import-content", str(folder)]).output
    out = tmp_path / "out"
    assert runner.invoke(args=["export-content", str(out)]).exit_code == 0
    exported = (out / LESSON).read_text()
    assert VIDEO in exported and CAPTIONS in exported
    assert (out / "media" / "sec-phishing-video.vtt").read_bytes() == (
        CONTENT / "media" / "sec-phishing-video.vtt"
    ).read_bytes()
    assert load_folder(out).modules["sec-phishing-video"].model.captions is not None


def team_lead(db: Session, login) -> Enrollment:  # type: ignore[no-untyped-def]
    """Log in as a learner enrolled in the Team Lead Path (it lists fb-sbi-video)."""
    return enrolled(db, login, "team-lead-path")


def test_the_module_page_plays_the_video_with_captions_and_the_transcript(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    base = f"/path/{team_lead(catalog, login).id}/modules/fb-sbi-video"
    page = client.get(base).get_data(as_text=True)
    assert '<video controls preload="metadata"' in page
    assert 'aria-label="Video: The Situation–Behaviour–Impact model (video)"' in page
    assert f'<source src="{base}/video" type="video/webm">' in page
    assert (
        f'<track kind="captions" srclang="en" label="English" src="{base}/captions" default>'
        in page
    )
    assert page.index("<video") < page.index("The camera test.")  # the transcript, below


def test_the_video_answers_range_requests_and_the_captions_are_webvtt(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    base = f"/path/{team_lead(catalog, login).id}/modules/fb-sbi-video"
    whole = (CONTENT / "media" / "fb-sbi-video.webm").read_bytes()
    part = client.get(f"{base}/video", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.mimetype == "video/webm"
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert part.data == whole[100:200]
    assert (
        "private" in part.headers["Cache-Control"] and "public" not in part.headers["Cache-Control"]
    )
    captions = client.get(f"{base}/captions")
    assert captions.status_code == 200 and captions.mimetype == "text/vtt"
    assert captions.data == (CONTENT / "media" / "fb-sbi-video.vtt").read_bytes()
    assert client.get(base.replace("fb-sbi-video", "fb-sbi-model") + "/video").status_code == 404


def test_another_learner_gets_a_404_for_the_video(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    base = f"/path/{team_lead(catalog, login).id}/modules/fb-sbi-video"
    login("learner", email="other@example.com")  # the same browser, now a learner not enrolled
    assert client.get(f"{base}/video").status_code == 404
    assert client.get(f"{base}/captions").status_code == 404
    assert app.test_client().get(f"{base}/video").status_code == 302  # signed out: log in first


def test_the_studio_keeps_the_captions_and_wants_the_file_in_the_media_folder(
    catalog: Session,
) -> None:
    module = module_edits.find(catalog, "sec-phishing-video")
    assert module is not None
    fields = module_edits.fields_of(catalog, module)
    assert fields["captions"] == "media/sec-phishing-video.vtt"
    here = CONTENT / "media"
    with pytest.raises(Invalid) as caught:
        edit = {**fields, "video": "media/other.webm"}
        module_edits.save_module(catalog, "Ana", edit, module.body, module, module.revision, here)
    assert caught.value.errors == {
        "video": ["file media/other.webm is not in the media folder: import its catalog"]
    }
    edit, revision = {**fields, "minutes": 10}, module.revision
    saved = module_edits.save_module(catalog, "Ana", edit, module.body, module, revision, here)
    assert saved.minutes == 10
    assert VideoRef.parse(saved.video_url) == VideoRef(
        "media/sec-phishing-video.webm", "media/sec-phishing-video.vtt"
    )
