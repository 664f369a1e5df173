"""What the studio makes leaves through export-content and comes back to the identical state."""

from pathlib import Path
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel

from learnpath.services.catalog import (
    competency_edits,
    composition,
    drafts,
    import_catalog,
    item_edits,
    module_edits,
    publishing,
)
from learnpath.services.catalog.exporter import export_catalog
from tests.conftest import CONTENT
from tests.factories import wipe

BOOKKEEPING = {"id", "created_at", "updated_at", "revision", "updated_by", "frozen_at"}
CONTENT_TABLES = [
    "competency",
    "competencyprerequisite",
    "item",
    "itemparameterset",
    "itemparameter",
    "module",
    "moduleprerequisite",
    "moduletag",
    "program",
    "programmodule",
    "programoverlay",
    "programchange",
    "programtarget",
    "segmentrule",
    "segmentrulemodule",
]


def _keys(db: Session) -> dict[str, dict[Any, Any]]:
    """Natural keys of the rows other rows point at, by table and id."""
    rows = {
        t: db.execute(sa_select(SQLModel.metadata.tables[t])).mappings().all()
        for t in ("competency", "item", "module", "program", "itemparameterset", "segmentrule")
    }
    keys: dict[str, dict[Any, Any]] = {t: {} for t in rows}
    for t in ("competency", "item", "module"):
        keys[t] = {r["id"]: r["slug"] for r in rows[t]}
    keys["program"] = {r["id"]: (r["slug"], r["version"]) for r in rows["program"]}
    keys["itemparameterset"] = {
        r["id"]: (keys["competency"][r["competency_id"]], r["version"])
        for r in rows["itemparameterset"]
    }
    keys["segmentrule"] = {
        r["id"]: (keys["program"][r["program_id"]], r["position"]) for r in rows["segmentrule"]
    }
    return keys


def content_state(db: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every content row, ids replaced by natural keys, bookkeeping columns left out."""
    db.expire_all()
    keys = _keys(db)
    state = {}
    for name in CONTENT_TABLES:
        table = SQLModel.metadata.tables[name]
        rows = []
        for row in db.execute(sa_select(table)).mappings().all():
            values = []
            for column in table.columns:
                if column.name in BOOKKEEPING:
                    continue
                value = row[column.name]
                target = next(iter(column.foreign_keys), None)
                if target is not None and value is not None:
                    value = keys[target.column.table.name][value]
                if column.name == "module_ids":
                    value = [keys["module"][m] for m in value]
                values.append(repr(value))
            rows.append(tuple(values))
        state[name] = sorted(rows)
    return state


def build_in_the_studio(db: Session) -> None:
    """One of every kind the studio makes, with its less common fields set."""
    competency_edits.save_competency(
        db, "Ana", {"id": "statistics", "name": "Statistics", "requires": ["data-literacy"]}
    )
    body = "## Goal\n\nTest a hypothesis.\n"
    base = {"competency": "statistics", "level": "developing", "minutes": 20, "tags": ["stats"]}
    module_edits.save_module(
        db, "Ana", {**base, "id": "st-tests", "title": "Tests", "format": "reading"}, body
    )
    module_edits.save_module(
        db,
        "Ana",
        {
            **base,
            "id": "st-tests-video",
            "title": "Tests, on video",
            "format": "video",
            "alternative_of": "st-tests",
            "video": "https://youtu.be/dQw4w9WgXcQ",
            "requires": ["dl-data-types"],
        },
        body,
    )
    for i, status in enumerate(["active", "draft", "pretest", "retired"]):
        item = {
            "id": f"st-{i}",
            "stem": f"Question {i}?",
            "options": [{"text": "Yes", "correct": True}, {"text": "No"}],
            "a": 1.0 + i / 10,
            "b": i - 1.5,
            "status": status,
        }
        item_edits.save_item(db, "Ana", "statistics", item)
    boxed = drafts.create_program(db, "Ana", "Statistics at Work", 1)
    for slug in ("dl-data-types", "st-tests"):
        composition.add_module(db, boxed, "Ana", None, slug)
    composition.set_mandatory(db, boxed, "Ana", None, "st-tests", False)
    composition.set_target(db, boxed, "Ana", None, "statistics", "proficient")
    placement = {"competencies": ["data-literacy"], "exposure": "maxinfo", "max_items": 12}
    composition.set_placement(db, boxed, "Ana", None, placement)
    settings = {"title": "Statistics at Work", "checkpoints": "none", "format": "blended"}
    drafts.update_settings(
        db, boxed, "Ana", None, {**settings, "audience": {"kind": "client", "name": "Acme"}}
    )
    publishing.publish(db, boxed, "Ana", None)
    drafts.open_draft(db, boxed, "Ana")  # v2, a draft
    personal = drafts.create_program(db, "Ana", "Statistics for You", 5)
    composition.add_module(db, personal, "Ana", None, "st-tests")
    composition.set_target(db, personal, "Ana", None, "statistics", "developing", "analyst")
    drafts.create_program(db, "Ana", "Empty for now", 1)


def test_studio_content_survives_export_and_reimport(catalog: Session, tmp_path: Path) -> None:
    build_in_the_studio(catalog)
    catalog.commit()
    before = content_state(catalog)
    export_catalog(catalog, tmp_path / "first", CONTENT / "media")
    wipe(catalog)
    import_catalog(catalog, tmp_path / "first")
    catalog.commit()
    after = content_state(catalog)
    for table in CONTENT_TABLES:
        assert after[table] == before[table], table
    export_catalog(catalog, tmp_path / "second", CONTENT / "media")
    first = sorted(p.relative_to(tmp_path / "first") for p in (tmp_path / "first").rglob("*.*"))
    for rel in first:
        assert (tmp_path / "first" / rel).read_bytes() == (tmp_path / "second" / rel).read_bytes()
    assert import_catalog(catalog, tmp_path / "second") == {}
