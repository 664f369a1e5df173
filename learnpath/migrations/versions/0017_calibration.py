"""calibration: which item parameter set of a competency is active

Revision ID: 0017
Revises: 0010 (written on 0007; chained after 0010 at merge)

A calibration adds a parameter set that is not used until an author activates it, and an
earlier set can be activated again (rollback). `itemparameterset.active` says which one is used;
existing sets stay active, so the newest active version keeps being chosen as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("itemparameterset", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    """Revert this revision: sets never activated go, since the older schema would use them."""
    op.execute(
        "DELETE FROM itemparameter WHERE parameter_set_id IN "
        "(SELECT id FROM itemparameterset WHERE NOT active)"
    )
    op.execute("DELETE FROM itemparameterset WHERE NOT active")
    with op.batch_alter_table("itemparameterset", schema=None) as batch_op:
        batch_op.drop_column("active")
