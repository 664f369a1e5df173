"""program sessions: the live sessions of a derived program's cohort

Revision ID: 0006
Revises: 0005

A facilitated (and specialized or deep) program schedules live sessions: a title, the day, the
start time at the place, the length, a place or a URL, and optionally the module it covers.
`programsession` holds them per program version, in order; the file format lists them under
`sessions:`. The free-text `schedule` overlay stays for what a table cannot say.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from learnpath.migrate import restore_rows, stash_rows

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "programsession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start", sa.Time(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["module_id"], ["module.id"]),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("programsession", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programsession_program_id"), ["program_id"], unique=False
        )
    restore_rows(revision, "programsession")


def downgrade() -> None:
    """Revert this revision; the attic keeps the sessions."""
    stash_rows(revision, "programsession")
    with op.batch_alter_table("programsession", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programsession_program_id"))
    op.drop_table("programsession")
