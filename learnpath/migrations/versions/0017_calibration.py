"""calibration: which item parameter set of a competency is active

Revision ID: 0017
Revises: 0015 (written on 0007; chained after 0015 at merge)

A calibration adds a parameter set that is not used until an author activates it, and an
earlier set can be activated again (rollback). `itemparameterset.active` says which one is used;
existing sets stay active, so the newest active version keeps being chosen as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from learnpath.migrate import restore_columns, stash_columns

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision; which sets were active comes back from the attic after a downgrade."""
    op.add_column(
        "itemparameterset",
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    restore_columns(revision, "itemparameterset")


def downgrade() -> None:
    """Revert this revision; the flags wait in the attic for the upgrade.

    Every set stays (attempts keep the set they were scored with, active or not). The older
    release takes a competency's newest set, so a calibration never activated is then used:
    roll back a release after activating or deleting what it should use.
    """
    stash_columns(revision, "itemparameterset", ["active"])
    op.drop_column("itemparameterset", "active")  # plain DROP COLUMN (SQLite >= 3.35)
