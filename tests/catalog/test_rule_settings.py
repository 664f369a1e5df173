"""Segment rules in program files: behaviour and level conditions, format and pace rules."""

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from sqlmodel import Session, col, select

from learnpath.models import Program, SegmentRule
from learnpath.services.catalog import CatalogError, import_catalog
from learnpath.services.catalog.exporter import export_catalog
from learnpath.services.catalog.schema import RuleIn
from tests.conftest import CONTENT
from tests.factories import snapshot

NEW_RULES: list[dict[str, Any]] = [
    {
        "name": "Slow deciders see the SBI model on video",
        "when": {"decision_speed": ["slow"], "behaviour": ["starter", "quiz-leaver"]},
        "then": "prefer_format",
        "format": "video",
    },
    {
        "name": "Finance staff study an hour a week",
        "when": {"department": ["Finance"], "tempo": ["slow", "typical"]},
        "then": "pace",
        "minutes_per_week": 60,
    },
    {
        "name": "Confident analysts build a dashboard",
        "when": {"role": ["analyst"], "at_least": {"data-literacy": "proficient"}},
        "then": "include",
        "modules": ["dl-dashboards"],
    },
]


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        ({"then": "include"}, "modules", "'include' needs at least one module"),
        ({"then": "prefer_format"}, "format", "'prefer_format' needs a format"),
        ({"then": "pace"}, "minutes_per_week", "'pace' needs minutes per week"),
        ({"then": "pace", "minutes_per_week": 60, "modules": ["x"]}, "modules", "takes no"),
        ({"then": "exclude", "modules": ["x"], "format": "video"}, "format", "takes no format"),
        ({"then": "pace", "minutes_per_week": 0}, "minutes_per_week", "greater than or equal"),
        ({"then": "include", "modules": ["x"], "when": {"tempo": ["quick"]}}, "when", "'slow'"),
    ],
)
def test_a_rule_that_does_not_fit_its_action_names_the_field(
    rule: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        RuleIn.model_validate({"name": "r", "when": {}, **rule})
    errors = {str(e["loc"][0]): e["msg"] for e in caught.value.errors()}
    assert message in errors[field]


def _with_rules(tmp_path: Path, rules: list[dict[str, Any]]) -> Path:
    """A copy of the shipped catalog whose personal program has these rules added."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    path = folder / "programs" / "team-lead-path.yaml"
    data = yaml.safe_load(path.read_text())
    data["rules"] += rules
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def test_new_rule_kinds_import_export_and_reimport_unchanged(
    catalog: Session, tmp_path: Path
) -> None:
    import_catalog(catalog, _with_rules(tmp_path, NEW_RULES))
    catalog.commit()
    program = catalog.exec(select(Program).where(Program.slug == "team-lead-path")).one()
    rows = catalog.exec(
        select(SegmentRule)
        .where(SegmentRule.program_id == program.id)
        .order_by(col(SegmentRule.position))
    ).all()
    stored = [(r.action, r.format, r.minutes_per_week, r.conditions) for r in rows[-3:]]
    assert stored == [
        ("prefer_format", "video", None, NEW_RULES[0]["when"]),
        ("pace", "", 60, NEW_RULES[1]["when"]),
        ("include", "", None, NEW_RULES[2]["when"]),
    ]
    export_catalog(catalog, tmp_path / "out", CONTENT / "media")
    exported = yaml.safe_load((tmp_path / "out" / "programs" / "team-lead-path.yaml").read_text())
    assert exported["rules"][-3:] == NEW_RULES
    before = snapshot(catalog)
    assert import_catalog(catalog, tmp_path / "out") == {}
    assert snapshot(catalog) == before


def test_a_level_condition_on_an_unknown_competency_names_the_field(
    catalog: Session, tmp_path: Path
) -> None:
    bad = {**NEW_RULES[2], "when": {"at_least": {"no-such-skill": "expert"}}}
    before = snapshot(catalog)
    with pytest.raises(CatalogError) as caught:
        import_catalog(catalog, _with_rules(tmp_path, [bad]))
    catalog.rollback()
    assert "rules[5].when.at_least.no-such-skill" in str(caught.value)
    assert "unknown competency 'no-such-skill'" in str(caught.value)
    assert snapshot(catalog) == before
