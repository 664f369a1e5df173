"""The catalog: competencies, item banks, modules and programs at five depths.

Import and export of the files in content/ (checked, then written in one transaction), the
derivation of programs from their parents, item-bank snapshots and read models for display.
"""

from collections import Counter
from pathlib import Path

from sqlmodel import Session

from learnpath.services.catalog.loader import load_folder
from learnpath.services.catalog.sources import CatalogError, Problem
from learnpath.services.catalog.writer import known_from_db, write_catalog

__all__ = ["CatalogError", "Problem", "import_catalog"]


def import_catalog(session: Session, root: Path) -> Counter[str]:
    """Check the folder, then write it; the caller commits, or rolls back on CatalogError."""
    catalog = load_folder(root, known_from_db(session))
    return write_catalog(session, catalog)
