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

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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


def downgrade() -> None:
    """Revert this revision: format and pace rules go, since the older schema cannot hold them."""
    op.execute("DELETE FROM segmentrule WHERE action IN ('prefer_format', 'pace')")
    with op.batch_alter_table("segmentrule", schema=None) as batch_op:
        batch_op.drop_column("minutes_per_week")
        batch_op.drop_column("format")
