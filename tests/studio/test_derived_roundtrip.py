"""Derived programs made in the studio come out of export-content and re-import identically."""

from pathlib import Path

from sqlmodel import Session, SQLModel, select

from learnpath.models import Item, Module
from learnpath.services.catalog import (
    composition,
    derived_modules,
    facilitation,
    import_catalog,
    overrides,
)
from learnpath.services.catalog.derivation import derive_program
from learnpath.services.catalog.exporter import export_catalog
from tests.conftest import CONTENT
from tests.factories import snapshot, wipe
from tests.studio.test_department_content import new_item, new_module
from tests.studio.test_take_in import parent_v1


def build(db: Session) -> None:
    """One program of each derived depth, with every kind of studio change."""
    parent = parent_v1(db, target="proficient")
    cohort = derive_program(db, parent, "Fay", 2, "Acme cohort", "Acme", "")
    session = {"title": "Kick-off", "date": "2027-01-28", "time": "09:30", "place": "Room 4"}
    facilitation.add_session(db, cohort, "Fay", None, session)
    online = {"title": "Debrief", "date": "2027-02-04", "time": "14:00", "place": ""}
    online["url"] = "https://meet.example.com/a"
    facilitation.add_session(db, cohort, "Fay", None, {**online, "module": "dl-dashboards"})
    facilitation.add_overlay(
        db, cohort, "Fay", None, {"kind": "note", "module": "dl-data-types", "text": "Ask first."}
    )
    facilitation.add_overlay(db, cohort, "Fay", None, {"kind": "wording", "text": "OTIF"})
    client = derive_program(db, parent, "Ana", 3, "Data for Acme", "Acme", "")
    derived_modules.drop_module(db, client, "Ana", None, "dl-correlation-causation")
    derived_modules.swap_module(
        db, client, "Ana", None, "dl-reading-charts", "dl-reading-charts-video"
    )
    derived_modules.add_module(db, client, "Ana", None, "pm-tracking", "")
    overrides.override_target(db, client, parent, "Ana", None, "data-literacy", "advanced")
    deep = derive_program(db, parent, "Ana", 4, "Data for Finance", "Finance", "")
    derived_modules.move_module(db, deep, "Ana", None, "dl-data-quality", -1)
    composition.set_placement(db, deep, "Ana", None, {"max_items": 12, "min_items": 4})
    new_module(db, "dl-finance-close-case", "data-literacy", deep.slug)
    derived_modules.add_module(db, deep, "Ana", None, "dl-finance-close-case", "")
    new_item(db, "dl-fin-001", "data-literacy", deep.slug)
    db.commit()


def test_an_export_reimports_into_the_same_database_as_no_change(
    catalog: Session, tmp_path: Path
) -> None:
    build(catalog)
    export_catalog(catalog, tmp_path / "out", CONTENT / "media")
    written = (tmp_path / "out" / "programs" / "data-for-acme.yaml").read_text()
    assert "op: swap" in written and "targets:" in written and "advanced" in written
    case = tmp_path / "out" / "modules" / "data-literacy" / "dl-finance-close-case.md"
    assert "owner: data-for-finance" in case.read_text()
    bank = (tmp_path / "out" / "items" / "data-literacy.yaml").read_text()
    assert "- id: dl-fin-001\n" in bank and "owner: data-for-finance" in bank
    cohort = (tmp_path / "out" / "programs" / "acme-cohort.yaml").read_text()
    assert "sessions:" in cohort and "time: '14:00'" in cohort and "targets" not in cohort
    before = snapshot(catalog)
    assert import_catalog(catalog, tmp_path / "out") == {}
    assert snapshot(catalog) == before


def test_an_export_imported_into_an_empty_database_exports_the_same_files(
    catalog: Session, tmp_path: Path
) -> None:
    build(catalog)
    first, second = tmp_path / "first", tmp_path / "second"
    export_catalog(catalog, first, CONTENT / "media")
    rows = _derived_rows(catalog)
    wipe(catalog)
    import_catalog(catalog, first)
    catalog.commit()
    assert _derived_rows(catalog) == rows
    owned = catalog.exec(select(Module.slug, Module.owner).where(Module.owner != "")).all()
    assert ("dl-finance-close-case", "data-for-finance") in owned
    assert catalog.exec(select(Item.owner).where(Item.slug == "dl-fin-001")).one() == (
        "data-for-finance"
    )
    export_catalog(catalog, second, CONTENT / "media")
    files = sorted(p.relative_to(first) for p in first.rglob("*.yaml"))
    for rel in files:
        assert (first / rel).read_text() == (second / rel).read_text(), rel


def _derived_rows(db: Session) -> dict[str, list[tuple[object, ...]]]:
    """The derivation rows with ids turned into slugs, to compare across databases."""
    got = snapshot(db)
    keys = {name: _natural_keys(got, name) for name in ("program", "module", "competency")}
    refers = {
        "program_id": "program",
        "module_id": "module",
        "other_module_id": "module",
        "competency_id": "competency",
    }
    out = {}
    for name in DERIVATION_TABLES:
        columns = [c.name for c in SQLModel.metadata.tables[name].columns]
        rows = []
        for row in got[name]:
            values = []
            for column, value in zip(columns, row, strict=True):
                if column in refers:
                    values.append(keys[refers[column]].get(value))
                elif column == "module_ids":
                    values.append([keys["module"][m] for m in value])
                elif column != "id":
                    values.append(value)
            rows.append(tuple(values))
        out[name] = sorted(rows, key=repr)
    return out


DERIVATION_TABLES = (
    "programmodule",
    "programchange",
    "programoverlay",
    "programsession",
    "programtarget",
)


def _natural_keys(got: dict[str, list[tuple[object, ...]]], table: str) -> dict[object, object]:
    """id → slug (and version, for programs) of every row of a table."""
    columns = [c.name for c in SQLModel.metadata.tables[table].columns]
    i, slug = columns.index("id"), columns.index("slug")
    version = columns.index("version") if "version" in columns else None
    return {
        row[i]: (row[slug], row[version]) if version is not None else row[slug]
        for row in got[table]
    }
