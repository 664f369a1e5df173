"""studio editing: optimistic locks, item status, video URLs, checkpoint policy

Revision ID: 0005
Revises: 0004

Two authors saving the same draft in the studio must not overwrite each other silently:
competency, item, module and program get `revision` (each save adds 1; a save made from an older
form is refused) and `updated_by` (the name shown in "changed by Ana at 14:02"; '' for a file
import). Items get the author's `status` (draft, pretest, active, retired), backfilled from
`active` (active → 'active', inactive → 'retired'). Modules get `video_url` (a video module's
video); programs get `checkpoints`, their checkpoint policy ('offered' keeps today's behaviour).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from learnpath.migrate import restore_columns, stash_columns

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCKED = ("competency", "item", "module", "program")
ADDED = {
    "competency": ["revision", "updated_by"],
    "item": ["revision", "updated_by", "status"],
    "module": ["revision", "updated_by", "video_url"],
    "program": ["revision", "updated_by", "checkpoints"],
}


def _string(length: int) -> sa.types.TypeEngine:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    """Apply this revision."""
    for table in LOCKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("revision", sa.Integer(), server_default="0", nullable=False)
            )
            batch_op.add_column(
                sa.Column("updated_by", _string(200), server_default="", nullable=False)
            )
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", _string(16), server_default="active", nullable=False)
        )
    item = sa.table("item", sa.column("status", sa.String), sa.column("active", sa.Boolean))
    op.execute(sa.update(item).where(item.c.active.is_(False)).values(status="retired"))
    with op.batch_alter_table("module", schema=None) as batch_op:
        batch_op.add_column(sa.Column("video_url", _string(500), server_default="", nullable=False))
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("checkpoints", _string(16), server_default="offered", nullable=False)
        )
    for table, _columns in ADDED.items():
        restore_columns(revision, table)


def downgrade() -> None:
    """Revert this revision; the attic keeps the dropped columns' values."""
    for table, columns in ADDED.items():
        stash_columns(revision, table, columns)
    # Plain ALTER TABLE DROP COLUMN (SQLite >= 3.35): no table copy under the foreign keys.
    op.drop_column("program", "checkpoints")
    op.drop_column("module", "video_url")
    op.drop_column("item", "status")
    for table in LOCKED:
        op.drop_column(table, "updated_by")
        op.drop_column(table, "revision")
