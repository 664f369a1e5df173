"""Private files: the instance folder is made 0700, the secrets and databases in it 0600.

They are created with these modes from the start (os.open/os.mkdir with a mode), never written
first and narrowed after, so there is no moment when another local user could read them. Files
and folders that exist already keep their modes (an instance folder made by an older version:
`chmod 700 instance`, see the README).
"""

import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> None:
    """Create the folder (and missing parents) readable by its owner only, unless it exists."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)


def private_file(path: Path, text: str = "", append: bool = False) -> None:
    """Write (or append) `text` to the file, creating it readable by its owner only."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    descriptor = os.open(path, flags, FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def private_sqlite(url: str) -> None:
    """Create the SQLite file of a sqlite:///path URL empty and private, if it does not exist."""
    path = url.removeprefix("sqlite:///")
    if not url.startswith("sqlite:///") or path in ("", ":memory:") or path.startswith("file:"):
        return
    # A file in a folder that is not there is left to SQLite, which then cannot open it: the
    # app answers 503 (learnpath.health) rather than failing to start.
    if not os.path.exists(path) and Path(path).parent.is_dir():
        private_file(Path(path), append=True)
