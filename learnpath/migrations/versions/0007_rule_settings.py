"""rule settings: the format a prefer_format rule prefers, the weekly time a pace rule sets

Revision ID: 0007
Revises: 0006

Segment rules could only include, exclude, mandate or make optional named modules. A personal
program's rule may now prefer a format (`segmentrule.format`, '' for the other actions) or set
the weekly time a learner's plan starts from (`segmentrule.minutes_per_week`, NULL otherwise).
Existing rules keep their meaning: the new columns default to '' and NULL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from learnpath.migrate import restore_columns, restore_rows, stash_columns, stash_rows

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEWER_ACTIONS = "action IN ('prefer_format', 'pace')"
NEWER_RULES = "segmentrule_rules"


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("segmentrule", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "format",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("minutes_per_week", sa.Integer(), nullable=True))
    restore_columns(revision, "segmentrule")
    restore_rows(revision, "segmentrule", name=NEWER_RULES)


def downgrade() -> None:
    """Revert this revision: format and pace rules move to the attic (the older code cannot read
    them), the new columns' values too; the upgrade puts both back."""
    stash_rows(revision, "segmentrule", where=NEWER_ACTIONS, name=NEWER_RULES)
    op.execute(f"DELETE FROM segmentrule WHERE {NEWER_ACTIONS}")
    stash_columns(revision, "segmentrule", ["format", "minutes_per_week"])
    # Plain ALTER TABLE DROP COLUMN (SQLite >= 3.35): a batch copy of the table would fail under
    # the foreign keys of the rows that reference rules.
    op.drop_column("segmentrule", "minutes_per_week")
    op.drop_column("segmentrule", "format")
