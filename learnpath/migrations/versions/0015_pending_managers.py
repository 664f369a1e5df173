"""pending managers: an HR push may name a manager who has not been pushed yet

Revision ID: 0015
Revises: 0010

HR systems push people in any order. A learner whose manager is not known yet keeps the manager's
external id in `learner.pending_manager_external_id`; when that person arrives, the link is made
(`manager_id`) and the pending id cleared. The downgrade keeps pending ids in the attic.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from learnpath.migrate import restore_columns, stash_columns

revision: str = "0015"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("learner", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "pending_manager_external_id",
                sqlmodel.sql.sqltypes.AutoString(length=80),
                nullable=True,
            )
        )
    restore_columns(revision, "learner")


def downgrade() -> None:
    """Revert this revision; pending managers' ids wait in the attic."""
    stash_columns(revision, "learner", ["pending_manager_external_id"])
    # Plain ALTER TABLE DROP COLUMN (SQLite >= 3.35): no table copy under the foreign keys.
    op.drop_column("learner", "pending_manager_external_id")
