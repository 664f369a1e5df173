"""Flask commands: init-db, import-content, export-content, create-user, demo."""

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from learnpath import db, migrate
from learnpath.catalog import CatalogError, import_catalog
from learnpath.catalog.exporter import export_catalog
from learnpath.config import is_embedded
from learnpath.models.base import ROLES
from learnpath.services import demo
from learnpath.services.accounts import AccountError, create_user


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or migrate the database schema to the latest revision."""
    migrate.upgrade(db.engine())
    click.echo("Database is at the latest schema revision.")


@click.command("import-content")
@with_appcontext
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_content(folder: Path) -> None:
    """Import a catalog folder (idempotent; all or nothing)."""
    try:
        with db.transaction() as session:
            counts = import_catalog(session, folder)
    except CatalogError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(f"{len(exc.problems)} problem(s); nothing was imported") from exc
    if not counts:
        click.echo("Catalog already up to date: nothing changed.")
    for what, n in sorted(counts.items()):
        click.echo(f"{n:5d}  {what}")


@click.command("export-content")
@with_appcontext
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export_content(folder: Path) -> None:
    """Write the catalog in the database to FOLDER in content/ layout."""
    with db.transaction() as session:
        paths = export_catalog(session, folder)
    click.echo(f"Wrote {len(paths)} files to {folder}.")


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), required=True)
@click.password_option("--password", prompt=True, help="Prompted (hidden) when left out.")
def create_user_command(email: str, name: str, roles: tuple[str, ...], password: str) -> None:
    """Create a login account with one or more roles."""
    try:
        with db.transaction() as session:
            user = create_user(session, email, name, password, list(roles))
    except AccountError as exc:
        raise click.BadParameter(str(exc)) from exc
    click.echo(f"Created user {user.email} with roles {', '.join(sorted(roles))}.")


@click.command("demo")
@with_appcontext
@click.option(
    "--content",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("content"),
)
def demo_command(content: Path) -> None:
    """Set up the embedded demo: migrate, import the catalog, create and print demo accounts."""
    if not is_embedded(current_app):
        raise click.ClickException(
            "demo accounts are only created on the embedded SQLite database; unset DATABASE_URL"
        )
    migrate.upgrade(db.engine())
    ctx = click.get_current_context()
    ctx.invoke(import_content, folder=content)
    accounts_file = Path(current_app.instance_path) / "demo-accounts.txt"
    with db.transaction() as session:
        created = demo.ensure_demo(session, lambda: secrets.token_urlsafe(9))
    if created:
        demo.write_accounts(accounts_file, created)
    click.echo("\nDemo accounts (stored in instance/demo-accounts.txt):")
    click.echo(accounts_file.read_text() if accounts_file.exists() else "  (none)")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (init_db, import_content, export_content, create_user_command, demo_command):
        app.cli.add_command(command)
