"""people: departments admins manage, one-time invite links, an index on learners' managers

Revision ID: 0011
Revises: 0007

Admins now manage users and departments from the studio. `department` lists the departments by
name; learners, department programs' audiences and segment-rule conditions keep the name as a
string, rewritten together on a rename or merge. It is filled here with every name already in
use (learners' departments and the audiences of department programs). `invite` holds one-time
set-password links: the SHA-256 of the token, its expiry and when it was used. `learner.manager_id`
gets an index: the My team page and the nav link look learners up by their manager.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

from learnpath.migrate import restore_rows, stash_rows

revision: str = "0011"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _string(length: int) -> sa.types.TypeEngine:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    """Apply this revision."""
    department = op.create_table(
        "department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _string(120), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", _string(64), nullable=False),
        sa.Column("created_by", _string(200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invite_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("learner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learner_manager_id"), ["manager_id"], unique=False)
    restore_rows(revision, "department")  # what a downgrade kept, ids and times as they were
    restore_rows(revision, "invite")
    _register_names_in_use(department)


def _register_names_in_use(department: sa.Table) -> None:
    """One department row per name learners or department audiences already use."""
    bind = op.get_bind()
    in_use = bind.execute(
        sa.text(
            "SELECT department FROM learner WHERE department <> '' UNION "
            "SELECT audience_name FROM program WHERE audience_kind = 'department' "
            "AND audience_name IS NOT NULL AND audience_name <> ''"
        )
    ).scalars()
    known = bind.execute(sa.text("SELECT name FROM department")).scalars()
    names: dict[str, str] = {}
    taken = {name.casefold() for name in known}
    for name in sorted(n for n in in_use if n.casefold() not in taken):
        names.setdefault(name.casefold(), name)  # 'Sales' and 'sales' are one department
    now = datetime.now(UTC)
    if names:
        op.bulk_insert(department, [{"name": n, "created_at": now} for n in names.values()])


def downgrade() -> None:
    """Revert this revision: the names stay on learners and audiences; the lists go to the
    attic, and come back with the upgrade."""
    stash_rows(revision, "department")
    stash_rows(revision, "invite")
    with op.batch_alter_table("learner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learner_manager_id"))
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invite_user_id"))
    op.drop_table("invite")
    op.drop_table("department")
