"""Importing the catalog: the shipped content, idempotence, export round trip, frozen versions."""

import shutil
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from learnpath.models import (
    Competency,
    Enrollment,
    Item,
    ItemParameter,
    Module,
    Program,
    ProgramModule,
)
from learnpath.services.catalog import CatalogError, import_catalog
from learnpath.services.catalog.exporter import export_catalog
from tests.conftest import CONTENT
from tests.factories import learner, snapshot, wipe


def count(db: Session, model: type) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def test_shipped_catalog_imports_with_all_five_depths(catalog: Session) -> None:
    db = catalog
    assert count(db, Competency) >= 4
    assert count(db, Module) >= 24
    depths = set(db.exec(select(Program.depth)).all())
    assert depths == {1, 2, 3, 4, 5}
    for comp in db.exec(select(Competency)).all():
        n = db.exec(
            select(func.count()).select_from(Item).where(Item.competency_id == comp.id)
        ).one()
        assert n >= 40, comp.slug


def test_second_import_changes_nothing(catalog: Session) -> None:
    before = snapshot(catalog)
    counts = import_catalog(catalog, CONTENT)
    catalog.commit()
    assert counts == {}
    assert snapshot(catalog) == before


def test_derivation_chain_resolves_module_lists(catalog: Session) -> None:
    db = catalog

    def modules(slug: str) -> list[str]:
        program = db.exec(select(Program).where(Program.slug == slug)).one()
        rows = db.exec(
            select(Module.slug)
            .join(ProgramModule, ProgramModule.module_id == Module.id)
            .where(ProgramModule.program_id == program.id)
            .order_by(ProgramModule.position)
        ).all()
        return list(rows)

    boxed = modules("data-literacy-essentials")
    assert modules("data-literacy-northwind-cohort") == boxed  # depth 2 keeps the modules
    assert modules("data-literacy-for-northwind") == [
        "dl-data-types",
        "dl-data-quality",
        "dl-averages-and-spread",
        "dl-reading-charts-video",
        "dl-dashboards",
        "pm-tracking",
    ]


def test_changed_item_parameter_updates_only_that_row(catalog: Session, tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    items = folder / "items" / "data-literacy.yaml"
    text = items.read_text()
    first_b = text.index("\n    b: ")
    end = text.index("\n", first_b + 1)
    items.write_text(text[:first_b] + "\n    b: 3.9" + text[end:])
    counts = import_catalog(catalog, folder)
    assert counts == {"ItemParameter updated": 1}
    assert 3.9 in catalog.exec(select(ItemParameter.b)).all()


def test_export_then_import_into_an_empty_database_gives_the_same_state(
    catalog: Session, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    export_catalog(catalog, first, CONTENT / "media")
    wipe(catalog)
    import_catalog(catalog, first)
    catalog.commit()
    second = tmp_path / "second"
    export_catalog(catalog, second, CONTENT / "media")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert len(files) >= 40
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_export_is_reimported_into_the_same_database_as_no_change(
    catalog: Session, tmp_path: Path
) -> None:
    export_catalog(catalog, tmp_path / "out", CONTENT / "media")
    before = snapshot(catalog)
    assert import_catalog(catalog, tmp_path / "out") == {}
    assert snapshot(catalog) == before


def test_a_version_learners_refer_to_is_frozen(catalog: Session, tmp_path: Path) -> None:
    db = catalog
    program = db.exec(select(Program).where(Program.slug == "information-security-basics")).one()
    person = learner(db)
    db.add(Enrollment(learner_id=person.id, program_id=program.id))
    db.commit()
    before = snapshot(db)
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    path = folder / "programs" / "information-security-basics.yaml"
    path.write_text(path.read_text().replace("  - sec-secure-sharing\n", ""))
    with pytest.raises(CatalogError) as caught:
        import_catalog(db, folder)
    db.rollback()
    assert "frozen" in str(caught.value)
    assert "information-security-basics.yaml:1: version" in str(caught.value)
    assert snapshot(db) == before
