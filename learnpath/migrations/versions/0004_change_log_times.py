"""change log times: when an adjustment was withdrawn, and the log of profile changes

Revision ID: 0004
Revises: 0003

Undoing a trajectory change only cleared `adjustment.active`, so the learner's log could not say
when it was withdrawn; `adjustment.withdrawn_at` records that (it stays NULL for rows withdrawn
before this revision: the time is not known). Profile changes (interests, weekly time, preferred
formats) shape every plan but were not logged: `profilechange` keeps one row per changed setting.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from learnpath.migrate import restore_columns, restore_rows, stash_columns, stash_rows

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("adjustment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    op.create_table(
        "profilechange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("setting", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["learner_id"], ["learner.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("profilechange", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_profilechange_learner_id"), ["learner_id"], unique=False
        )
    restore_columns(revision, "adjustment")
    restore_rows(revision, "profilechange")


def downgrade() -> None:
    """Revert this revision; the attic keeps profile changes and withdrawal times."""
    stash_rows(revision, "profilechange")
    stash_columns(revision, "adjustment", ["withdrawn_at"])
    with op.batch_alter_table("profilechange", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profilechange_learner_id"))
    op.drop_table("profilechange")
    # A plain ALTER TABLE DROP COLUMN (SQLite >= 3.35): no table copy under the foreign keys.
    op.drop_column("adjustment", "withdrawn_at")
