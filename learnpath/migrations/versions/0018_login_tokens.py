"""login tokens: per-login remember-me tokens, session versions, failed-login lockout

Revision ID: 0018
Revises: 0016

`logintoken` holds one row per "keep me logged in" login (the cookie value's SHA-256 only),
rotated at each use and revoked by logout, a password change or deactivation.
`user.session_version` is part of the session cookie's user id: raising it ends every session
made before. `loginthrottle` counts failed logins per email and locks it with a backoff.
The downgrade keeps the rows and the versions in the attic; the upgrade brings them back.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from learnpath.migrate import restore_columns, restore_rows, stash_columns, stash_rows

revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sqlmodel.sql.sqltypes.UTCDateTime


def _string(length: int) -> sa.types.TypeEngine:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )
    restore_columns(revision, "user")
    op.create_table(
        "logintoken",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", _string(64), nullable=False),
        sa.Column("user_agent", _string(200), nullable=False),
        sa.Column("created_at", TIME(), nullable=False),
        sa.Column("expires_at", TIME(), nullable=False),
        sa.Column("last_used_at", TIME(), nullable=True),
        sa.Column("revoked_at", TIME(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("logintoken", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_logintoken_user_id"), ["user_id"], unique=False)
    op.create_table(
        "loginthrottle",
        sa.Column("email", _string(254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", TIME(), nullable=True),
        sa.Column("last_failure_at", TIME(), nullable=False),
        sa.PrimaryKeyConstraint("email"),
    )
    restore_rows(revision, "logintoken")
    restore_rows(revision, "loginthrottle")


def downgrade() -> None:
    """Revert this revision: tokens, counters and session versions wait in the attic."""
    stash_rows(revision, "loginthrottle")
    stash_rows(revision, "logintoken")
    op.drop_table("loginthrottle")
    with op.batch_alter_table("logintoken", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_logintoken_user_id"))
    op.drop_table("logintoken")
    stash_columns(revision, "user", ["session_version"])
    # Plain ALTER TABLE DROP COLUMN (SQLite >= 3.35): no table copy under the foreign keys.
    op.drop_column("user", "session_version")
