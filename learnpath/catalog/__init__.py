"""The catalog on disk (content/): import it transactionally, export it back."""

from collections import Counter
from pathlib import Path

from sqlmodel import Session

from learnpath.catalog.loader import load_folder
from learnpath.catalog.sources import CatalogError, Problem
from learnpath.catalog.writer import known_from_db, write_catalog

__all__ = ["CatalogError", "Problem", "import_catalog"]


def import_catalog(session: Session, root: Path) -> Counter[str]:
    """Check the folder, then write it; the caller commits, or rolls back on CatalogError."""
    catalog = load_folder(root, known_from_db(session))
    return write_catalog(session, catalog)
