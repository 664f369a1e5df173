"""department content: modules and items owned by one deep program line

Revision ID: 0008
Revises: 0012 (written on 0007; chained after 0012, merged first)

A deep (depth 4) program may have modules and items of its own, for its department only:
`module.owner` and `item.owner` hold the owning program's slug (the program line, every
version), '' for shared content. Existing modules and items stay shared.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("module", "item")


def upgrade() -> None:
    """Apply this revision."""
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "owner",
                    sqlmodel.sql.sqltypes.AutoString(length=80),
                    nullable=False,
                    server_default="",
                )
            )


def downgrade() -> None:
    """Revert this revision: department content becomes shared (the older schema has no owner)."""
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("owner")
