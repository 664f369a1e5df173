"""audit: the audit log of studio and admin writes; revoked API tokens

Revision ID: 0012
Revises: 0011

`auditentry` records every studio and admin write (who, when, which row, before/after) in the
transaction of the change. The application never updates or deletes its rows (an ORM event
refuses); the database refuses too, with triggers on both SQLite and PostgreSQL, so a stray SQL
statement cannot rewrite history either. TRUNCATE (the test suite's reset) is not a row delete
and stays possible for the database owner. A later migration that rebuilds this table on SQLite
(batch mode) must create the triggers again.

`apitoken.revoked_at`: revoking an API client or rotating its secret revokes the tokens issued
so far, and reactivating the client does not revive them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from learnpath.migrate import restore_rows, stash_rows

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFUSAL = "audit entries are never updated or deleted"
REVOKED = "apitoken_revoked"


def _string(length: int) -> sa.types.TypeEngine:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "auditentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", _string(200), nullable=False),
        sa.Column("origin", _string(300), nullable=False),
        sa.Column("action", _string(16), nullable=False),
        sa.Column("entity", _string(64), nullable=False),
        sa.Column("entity_id", _string(100), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditentry_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditentry_at"), ["at"], unique=False)
        batch_op.create_index("ix_auditentry_entity", ["entity", "entity_id"], unique=False)
    _refuse_changes()
    with op.batch_alter_table("apitoken", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    restore_rows(revision, "auditentry")  # what a downgrade kept (the log stays append-only)
    restore_rows(revision, "apitoken", name=REVOKED)


def _refuse_changes() -> None:
    """Triggers that make UPDATE and DELETE on auditentry fail."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION auditentry_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER auditentry_refuse BEFORE UPDATE OR DELETE ON auditentry "
            "FOR EACH ROW EXECUTE FUNCTION auditentry_refuse()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER auditentry_refuse_{event.lower()} BEFORE {event} ON auditentry "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )


def downgrade() -> None:
    """Revert this revision: the audit log and the revoked tokens (deleted, not revived) move to
    the attic, and come back with the upgrade."""
    stash_rows(revision, "apitoken", where="revoked_at IS NOT NULL", name=REVOKED)
    op.execute("DELETE FROM apitoken WHERE revoked_at IS NOT NULL")
    stash_rows(revision, "auditentry")
    # Plain ALTER TABLE DROP COLUMN (SQLite >= 3.35): no table copy under the foreign keys.
    op.drop_column("apitoken", "revoked_at")
    op.drop_table("auditentry")  # its indexes and triggers go with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION auditentry_refuse()")
