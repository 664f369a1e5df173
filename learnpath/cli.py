"""Flask commands: setup, catalog import/export, accounts, demo, simulate, idle quizzes."""

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from learnpath import db, migrate
from learnpath.config import is_embedded
from learnpath.irt import DEFAULT_EXPOSURE_CEILING, IRTError, simulate_report
from learnpath.services import audit
from learnpath.services.accounts import demo
from learnpath.services.accounts.users import AccountError, create_user, learner_profile
from learnpath.services.catalog import CatalogError, drafts, import_catalog, media, ownership
from learnpath.services.catalog.banks import BankError, competency_by_slug, load_bank
from learnpath.services.catalog.exporter import export_catalog
from learnpath.services.integration import client_admin
from learnpath.services.integration.clients import SCOPES, ClientError, create_client
from learnpath.services.learning import idle, trajectory
from learnpath.vocabulary import ROLES

T = TypeVar("T")


def _as_cli() -> audit.Actor:
    """The actor admin commands are audited under, with the command line as the origin."""
    ctx = click.get_current_context()
    return audit.Actor(None, "cli", f"flask {ctx.command_path.split(' ', 1)[-1]}")


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or migrate the database schema to the latest revision."""
    migrate.upgrade(db.engine())
    click.echo("Database is at the latest schema revision.")


@click.command("db-downgrade")
@with_appcontext
@click.argument("revision")
@click.option("--force", is_flag=True, help="Let a downgrade that cannot keep data delete it.")
def db_downgrade(revision: str, force: bool) -> None:
    """Migrate the schema down to REVISION (e.g. -1); data the older schema cannot hold is kept."""
    try:
        migrate.downgrade(db.engine(), revision, force=force)
    except migrate.DataLossRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Database is at revision {revision}.")


@click.command("import-content")
@with_appcontext
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_content(folder: Path) -> None:
    """Import a catalog folder (idempotent; all or nothing)."""
    try:
        with db.transaction(_as_cli()) as session:
            counts = import_catalog(session, folder)
            # Plans read the catalog: store them anew, in the import's transaction.
            replanned = trajectory.replan_all(session) if counts else 0
    except CatalogError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(f"{len(exc.problems)} problem(s); nothing was imported") from exc
    if not counts:
        click.echo("Catalog already up to date: nothing changed.")
    for what, n in sorted(counts.items()):
        click.echo(f"{n:5d}  {what}")
    if replanned:
        click.echo(f"Re-planned {replanned} enrollment(s) on the new catalog.")
    media_dir = Path(current_app.config["MEDIA_DIR"])
    copied = media.copy_media(folder / media.MEDIA, media_dir)
    if copied:
        click.echo(f"Copied {len(copied)} media file(s) to {media_dir}: {', '.join(copied)}")


@click.command("export-content")
@with_appcontext
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export_content(folder: Path) -> None:
    """Write the catalog in the database to FOLDER in content/ layout, media files included."""
    media_dir = Path(current_app.config["MEDIA_DIR"])
    with db.transaction() as session:
        paths = export_catalog(session, folder, media_dir)
        for path in media.referenced(session):
            if not (folder / path).is_file():
                click.echo(f"warning: {path} is not in {media_dir}: not exported", err=True)
    click.echo(f"Wrote {len(paths)} files to {folder}.")


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), required=True)
@click.option(
    "--external-id",
    help="Learners: the HR system's employee id (default: the email). An existing learner "
    "profile with this id or email, e.g. one provisioned through the API, gets the login.",
)
@click.password_option("--password", prompt=True, help="Prompted (hidden) when left out.")
def create_user_command(
    email: str, name: str, roles: tuple[str, ...], external_id: str | None, password: str
) -> None:
    """Create a login account with one or more roles (a learner gets a learner profile)."""
    try:
        with db.transaction(_as_cli()) as session:
            profile = (
                learner_profile(session, email, name, external_id) if "learner" in roles else None
            )
            user = create_user(session, email, name, password, list(roles), learner=profile)
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
        if created:  # the new enrollments' plans are stored, as an assignment stores them
            trajectory.replan_all(session)
    if created:
        demo.write_accounts(accounts_file, created)
    click.echo("\nDemo accounts (stored in instance/demo-accounts.txt):")
    click.echo(accounts_file.read_text() if accounts_file.exists() else "  (none)")


@click.command("simulate")
@with_appcontext
@click.argument("competency")
@click.option("--examinees", default=1000, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--se-target", default=0.3, show_default=True, type=click.FloatRange(min=0.01))
@click.option("--max-items", default=40, show_default=True, type=click.IntRange(1))
@click.option("--min-items", default=1, show_default=True, type=click.IntRange(0))
@click.option(
    "--exposure",
    type=click.Choice(["none", "ceiling", "randomesque"]),
    default="none",
    show_default=True,
    help="Exposure control: none, a 0.25 ceiling, or randomesque choice under the ceiling.",
)
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0))
@click.option(
    "--program",
    default="",
    help="The bank this program's placement is given: the shared items and, for a deep "
    "program, its department-only ones (default: the shared items only).",
)
def simulate_command(
    competency: str,
    examinees: int,
    se_target: float,
    max_items: int,
    min_items: int,
    exposure: str,
    seed: int,
    program: str,
) -> None:
    """Simulate adaptive tests on a competency's current item bank (learners θ ~ N(0, 1))."""
    with db.transaction() as session:
        versions = drafts.versions(session, program) if program else []
        if program and not versions:
            raise click.BadParameter(f"unknown program {program!r}", param_hint="--program")
        line = ownership.line_of(session, versions[0]) if versions else frozenset()
        try:
            snapshot = load_bank(session, [competency_by_slug(session, competency)], line)
        except BankError as exc:
            raise click.BadParameter(str(exc), param_hint="COMPETENCY") from exc
    chosen = snapshot.parameter_sets[competency]
    try:
        report = simulate_report(
            snapshot.bank(),
            examinees,
            se_target,
            max_items,
            min_items,
            None if exposure == "none" else exposure,
            seed,
        )
    except IRTError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{examinees:,} simulated learners (θ ~ N(0, 1)) on {competency}: "
        f"{len(snapshot.item_ids)} items, parameter set v{chosen['version']} ({chosen['source']}); "
        f"stop at SE ≤ {se_target} or {max_items} items, exposure control: {exposure}"
    )
    click.echo(f"  mean length      {report['mean_length']:7.2f} items")
    click.echo(f"  bias             {report['bias']:+7.3f} logits")
    click.echo(f"  RMSE             {report['rmse']:7.3f} logits")
    click.echo(f"  mean SE          {report['mean_se']:7.3f} logits")
    click.echo(f"  SE target met    {100 * report['share_se_target_met']:7.1f} % of tests")
    click.echo(f"  max exposure     {report['max_exposure']:7.3f}")
    click.echo(f"  never used       {100 * report['never_used_share']:7.1f} % of items")
    if exposure != "none" and report["max_exposure"] > DEFAULT_EXPOSURE_CEILING:
        click.echo(
            f"  note: {len(snapshot.item_ids)} items cannot hold a {DEFAULT_EXPOSURE_CEILING} "
            f"ceiling at {report['mean_length']:.1f} items per test; where no item is left under "
            "the ceiling, measurement wins and the ceiling is waived"
        )


@click.command("close-idle-attempts")
@with_appcontext
@click.option("--minutes", type=click.FloatRange(min=0), help="Default: ATTEMPT_IDLE_MINUTES.")
def close_idle_attempts(minutes: float | None) -> None:
    """Finish quizzes idle for too long with what they reached (run it from cron)."""
    limit = current_app.config["ATTEMPT_IDLE_MINUTES"] if minutes is None else minutes
    with db.transaction() as session:
        closed = idle.close_idle(session, limit)
    click.echo(f"Closed {len(closed)} quiz attempt(s) idle for more than {limit:g} minutes.")


api_client = click.Group(
    "api-client", help="API clients of HR systems (OAuth2 client credentials)."
)


@api_client.command("create")
@with_appcontext
@click.option("--name", required=True, help="Who the client is, e.g. the HR system's name.")
@click.option("--scopes", required=True, help=f"Space- or comma-separated: {' '.join(SCOPES)}.")
def create_api_client(name: str, scopes: str) -> None:
    """Create an API client; its secret is shown once and stored only as a hash."""
    try:
        with db.transaction(_as_cli()) as session:
            client, secret = create_client(session, name, scopes)
    except ClientError as exc:
        raise click.BadParameter(str(exc)) from exc
    _show_secret(client.client_id, secret, client.scopes)


def _show_secret(client_id: str, secret: str, scopes: str) -> None:
    click.echo(f"client_id:     {client_id}")
    click.echo(f"client_secret: {secret}")
    click.echo(f"scopes:        {scopes}")
    click.echo("Store the secret now: it is not shown again.")


@api_client.command("list")
@with_appcontext
def list_api_clients() -> None:
    """List the clients: id, status, live tokens, scopes and name."""
    with db.transaction() as session:
        for row in client_admin.list_clients(session):
            c, state = row.client, "active" if row.client.active else "revoked"
            click.echo(f"{c.client_id}  {state:7}  {row.live_tokens:3d} live  {c.scopes}  {c.name}")


def _change_client(client_id: str, act: Callable[..., T]) -> tuple[Any, T]:
    """Run a lifecycle change on the client with this id, audited, in one transaction."""
    with db.transaction(_as_cli()) as session:
        client = client_admin.find(session, client_id)
        if client is None:
            raise click.BadParameter(f"no API client {client_id!r}", param_hint="CLIENT_ID")
        return client, act(session, client)


@api_client.command("rotate")
@with_appcontext
@click.argument("client_id")
def rotate_api_client(client_id: str) -> None:
    """A new secret, shown once; the old secret and every token issued so far stop working."""
    client, secret = _change_client(client_id, client_admin.rotate_secret)
    _show_secret(client.client_id, secret, client.scopes)


@api_client.command("revoke")
@with_appcontext
@click.argument("client_id")
def revoke_api_client(client_id: str) -> None:
    """Revoke a client: its tokens stop working at once and it gets no new ones."""
    client, _ = _change_client(client_id, client_admin.revoke)
    click.echo(f"Revoked {client.client_id} ({client.name}).")


@api_client.command("reactivate")
@with_appcontext
@click.argument("client_id")
def reactivate_api_client(client_id: str) -> None:
    """Let a revoked client get new tokens; those issued before stay revoked."""
    client, _ = _change_client(client_id, client_admin.reactivate)
    click.echo(f"Reactivated {client.client_id} ({client.name}); its old tokens stay revoked.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (
        init_db,
        db_downgrade,
        import_content,
        export_content,
        create_user_command,
        demo_command,
        simulate_command,
        close_idle_attempts,
        api_client,
    ):
        app.cli.add_command(command)
