"""assignment: program versions open to self-enrolment for an audience

Revision ID: 0010
Revises: 0008

Learners could be enrolled only by the HR API or by files. A published program version may now be
opened to self-enrolment: `program.self_enrol` is '' (closed), 'everyone', 'department' or 'role',
and `program.self_enrol_name` names the department or role ('' otherwise). Existing versions stay
closed. Withdrawn enrollments need no new column: their status says it and their rows stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from learnpath.migrate import restore_columns, stash_columns

revision: str = "0010"
down_revision: str | None = "0008"  # written on 0007; chained after 0008 at merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COLUMNS = ("self_enrol", "self_enrol_name")


def upgrade() -> None:
    """Apply this revision.

    Plain ALTER TABLE ADD COLUMN: a batch copy of `program` on SQLite would drop the update
    triggers of 0002 and fail under the foreign keys that point at programs.
    """
    for name, length in zip(COLUMNS, (16, 120), strict=True):
        op.add_column(
            "program",
            sa.Column(
                name,
                sqlmodel.sql.sqltypes.AutoString(length=length),
                nullable=False,
                server_default="",
            ),
        )
    restore_columns(revision, "program")


def downgrade() -> None:
    """Revert this revision: every version is closed to self-enrolment; the settings wait in
    the attic for the upgrade."""
    stash_columns(revision, "program", list(COLUMNS))
    for name in reversed(COLUMNS):
        op.drop_column("program", name)  # plain DROP COLUMN (SQLite >= 3.35), as in 0008
