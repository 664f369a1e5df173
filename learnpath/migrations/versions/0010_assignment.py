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

revision: str = "0010"
down_revision: str | None = "0008"  # written on 0007; chained after 0008 at merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "self_enrol",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column(
                "self_enrol_name",
                sqlmodel.sql.sqltypes.AutoString(length=120),
                nullable=False,
                server_default="",
            )
        )


def downgrade() -> None:
    """Revert this revision: every program version is closed to self-enrolment again."""
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_column("self_enrol_name")
        batch_op.drop_column("self_enrol")
