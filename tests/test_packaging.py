"""A pip install ships what the app serves: pyproject's package-data matches every data file."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "learnpath"


def test_package_data_covers_every_template_static_file_and_migration() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["learnpath"]
    shipped = {p for pattern in patterns for p in PACKAGE.glob(pattern) if p.is_file()}
    for folder in ("templates", "static", "migrations"):
        files = {
            p for p in (PACKAGE / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        }
        assert files and files <= shipped, sorted(str(p) for p in files - shipped)
    assert PACKAGE / "static/vendor/markdown-toolbar-element/LICENSE" in shipped
