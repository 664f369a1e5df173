"""Operations commands: `flask --app learnpath backup PATH` and `restore PATH --yes`.

SQLite: the backup is SQLite's online backup API (sqlite3.Connection.backup), a consistent copy
taken page by page while the app keeps running; restore copies a checked backup back the same
way. PostgreSQL: pg_dump and pg_restore do it better than the app could, so the commands print
the exact pg_dump / pg_restore lines for the configured database and write nothing (exit 1).
"""

import os
import shlex
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext

from learnpath import db, migrate

CORE_TABLES = ("alembic_version", "learner", "enrollment", "attempt", "program")
"""Tables every learnpath database has at every revision: a backup without them is not one."""


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Copy the database to PATH, a new file (SQLite: safe while the app runs)."""
    url = db.engine().url
    if url.get_backend_name() != "sqlite":
        _postgres_only("backup", url, path)
    if path.exists():
        raise click.ClickException(f"{path} already exists: choose a new file for the backup")
    partial = path.with_name(f".{path.name}.partial")
    _copy(
        _sqlite_file(url), partial, journal="DELETE"
    )  # renamed when whole: a half-written backup is never PATH
    partial.rename(path)
    click.echo(f"Backed up the database to {path} (revision {backup_revision(path)}).")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm: replace every row of the database.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database with the backup at PATH (a learnpath database at a known revision)."""
    url = db.engine().url
    if url.get_backend_name() != "sqlite":
        _postgres_only("restore", url, path)
    revision = backup_revision(path)
    target = _sqlite_file(url)
    if not yes:
        raise click.ClickException(
            f"restore replaces every row of {target} with {path} (revision {revision}); "
            "nothing was changed: run again with --yes to confirm"
        )
    _copy(path, target)
    db.engine().dispose()
    click.echo(f"Restored {target} from {path} (revision {revision}).")
    if (revision,) != migrate.heads():
        click.echo("The backup is at an older revision: run `flask --app learnpath init-db`.")


def backup_revision(path: Path) -> str:
    """The migration revision of the learnpath database at `path`; ClickException if it is not."""
    try:
        with closing(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)) as conn:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            missing = [t for t in CORE_TABLES if t not in names]
            found = [] if missing else conn.execute("SELECT version_num FROM alembic_version")
            revisions = [r[0] for r in found]
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"{path} is not a SQLite database ({exc})") from exc
    if check != "ok":
        raise click.ClickException(f"{path} is damaged: {check}")
    if missing:
        raise click.ClickException(
            f"{path} is not a learnpath database: it has no table {', '.join(missing)}"
        )
    if len(revisions) != 1 or revisions[0] not in migrate.known_revisions():
        raise click.ClickException(
            f"{path} is at revision {', '.join(revisions) or 'none'}, which this version of "
            "learnpath does not know (a newer release?): nothing was changed"
        )
    return str(revisions[0])


def _copy(source: Path, target: Path, journal: str = "WAL") -> None:
    """Copy one SQLite database onto another with the online backup API (consistent, live).

    The target keeps `journal` mode: a backup file is a single file (DELETE), the app's WAL.
    """
    with (
        closing(sqlite3.connect(source)) as src,
        closing(sqlite3.connect(target, timeout=30)) as dst,
    ):
        src.backup(dst)
        dst.execute(f"PRAGMA journal_mode={journal}")


def _sqlite_file(url: Any) -> Path:
    """The file of a SQLite URL; in-memory databases cannot be backed up."""
    if not url.database or url.database == ":memory:":
        raise click.ClickException("the database is in memory: there is no file to back up")
    return Path(url.database)


def pg_commands(url: Any, path: Path) -> dict[str, str]:
    """The pg_dump and pg_restore lines for this PostgreSQL URL (password left to PGPASSWORD)."""
    # URL is a named tuple: _replace can drop the password, which URL.set leaves alone for None.
    plain = url._replace(drivername="postgresql", password=None).render_as_string(False)
    target, file = shlex.quote(plain), shlex.quote(os.fspath(path))
    return {
        "backup": f"pg_dump --format=custom --file {file} {target}",
        "restore": (
            f"pg_restore --clean --if-exists --no-owner --single-transaction --dbname {target} "
            f"{file}"
        ),
    }


def _postgres_only(action: str, url: Any, path: Path) -> None:
    """Print the PostgreSQL tools' lines for `action` and stop: the app writes nothing itself."""
    commands = pg_commands(url, path)
    click.echo(f"PostgreSQL: {action} with {commands[action].split()[0]}, e.g.\n")
    click.echo(f"    {commands[action]}\n")
    if action == "restore":
        click.echo("then `flask --app learnpath init-db` if the dump is at an older revision.")
    if url.password:
        click.echo("The password is left out: give it in PGPASSWORD or ~/.pgpass.")
    raise click.ClickException(f"nothing was {'backed up' if action == 'backup' else 'restored'}")


def init_app(app: Flask) -> None:
    """Register the operations commands."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
