"""exposure: per-item counts of quiz sessions shown it, per-competency counts of sessions

Revision ID: 0019
Revises: 0018

The exposure ceiling of the adaptive engine reads these counters across every learner and
worker. The downgrade keeps the counts in the attic and the upgrade brings them back.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from learnpath.migrate import restore_rows, stash_rows

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision; counts kept by a downgrade come back from the attic."""
    op.create_table(
        "itemexposure",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("shown", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"]),
        sa.PrimaryKeyConstraint("item_id"),
    )
    op.create_table(
        "competencyexposure",
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["competency_id"], ["competency.id"]),
        sa.PrimaryKeyConstraint("competency_id"),
    )
    restore_rows(revision, "itemexposure")
    restore_rows(revision, "competencyexposure")


def downgrade() -> None:
    """Revert this revision: the counts move to the attic and come back with the upgrade."""
    for table in ("itemexposure", "competencyexposure"):
        stash_rows(revision, table)
        op.drop_table(table)
