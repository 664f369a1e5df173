"""The shipped catalog meets the content bar of DESIGN.md §7 (checked on the files themselves)."""

import re

import pytest
import yaml

from tests.conftest import CONTENT

BANKS = sorted((CONTENT / "items").glob("*.yaml"))
MODULES = sorted((CONTENT / "modules").rglob("*.md"))
PROGRAMS = [yaml.safe_load(p.read_text()) for p in sorted((CONTENT / "programs").glob("*.yaml"))]
WORDS = {"two": 2, "three": 3, "four": 4}


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_item_bank_spans_the_scale_with_plausible_parameters(path) -> None:  # type: ignore[no-untyped-def]
    items = yaml.safe_load(path.read_text())["items"]
    assert len(items) >= 40
    b = [i["b"] for i in items]
    assert min(b) <= -2.0 and max(b) >= 2.0
    thirds = [sum(x < -0.8 for x in b), sum(-0.8 <= x <= 0.8 for x in b), sum(x > 0.8 for x in b)]
    assert min(thirds) >= len(items) // 5, thirds
    assert all(0.6 <= i["a"] <= 2.0 for i in items)


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_items_follow_the_writing_rules(path) -> None:  # type: ignore[no-untyped-def]
    items = yaml.safe_load(path.read_text())["items"]
    longest_correct = 0
    for item in items:
        texts = [o["text"].lower() for o in item["options"]]
        assert not any("all of the above" in t or "none of the above" in t for t in texts), item[
            "id"
        ]
        assert 3 <= len(texts) <= 5 and item["explanation"].strip(), item["id"]
        keys = [o for o in item["options"] if o.get("correct")]
        if item.get("type") == "multiple":
            stated = re.search(r"Select (two|three|four)", item["stem"])
            assert stated and WORDS[stated.group(1)] == len(keys), item["id"]
        else:
            lengths = sorted(len(o["text"]) for o in item["options"])
            longest_correct += len(keys[0]["text"]) == lengths[-1] > lengths[-2]
    # The right answer must not give itself away by being the longest option.
    assert longest_correct / len(items) < 0.3


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_modules_are_real_lessons(path) -> None:  # type: ignore[no-untyped-def]
    _, front, body = path.read_text().split("---\n", 2)
    meta = yaml.safe_load(front)
    assert len(body.split()) >= 250
    assert "## Goal" in body and "## Exercise" in body
    assert meta["format"] == "video" or "## Worked example" in body
    assert "lorem" not in body.lower() and "<" not in re.sub(r"`[^`]*`", "", body)


def test_programs_show_all_five_depths_as_realistic_cases() -> None:
    by_id = {(p["id"], p["version"]): p for p in PROGRAMS}
    assert {p["depth"] for p in PROGRAMS} == {1, 2, 3, 4, 5}
    specialized = next(p for p in PROGRAMS if p["depth"] == 3)
    facilitated = by_id[(specialized["parent"]["id"], specialized["parent"]["version"])]
    boxed = by_id[(facilitated["parent"]["id"], facilitated["parent"]["version"])]
    assert (boxed["depth"], facilitated["depth"]) == (1, 2)
    assert (
        specialized["audience"] == facilitated["audience"]
        and specialized["audience"]["kind"] == "client"
    )
    deep = next(p for p in PROGRAMS if p["depth"] == 4)
    assert deep["audience"]["kind"] == "department"
    personal = next(p for p in PROGRAMS if p["depth"] == 5)
    assert any(t["roles"] for t in personal["targets"]) and personal["rules"]
