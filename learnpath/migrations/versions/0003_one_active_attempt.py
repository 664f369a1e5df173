"""one active attempt: attempts get a scope, and a learner one active attempt per kind and scope

Revision ID: 0003
Revises: 0002

Two concurrent Starts of the same quiz created two active attempts. `attempt.scope` names what an
attempt measures ("<enrollment id or ->:<sorted competency ids>", as `services.quiz.scope_of`
writes it), and a partial unique index on (learner_id, kind, scope) WHERE status = 'active' lets
only one of them in. Existing rows are backfilled; where a learner already has several active
attempts of one scope, the newest keeps the scope (Start resumed that one) and the older ones
get "#<id>" appended, so they stay open to finish or to close when idle, and nothing is lost.
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from learnpath.migrate import restore_columns, stash_columns

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("status = 'active'")

attempt = sa.table(
    "attempt",
    sa.column("id", sa.Integer),
    sa.column("learner_id", sa.Integer),
    sa.column("enrollment_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("status", sa.String),
    sa.column("competency_ids", sa.JSON),
    sa.column("started_at", sa.DateTime),
    sa.column("scope", sa.Text),
)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.Text(), server_default="", nullable=False))
    _backfill()
    restore_columns(revision, "attempt")  # scopes kept by a downgrade win over the backfill
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attempt_one_active",
            ["learner_id", "kind", "scope"],
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        )


def _backfill() -> None:
    """Every attempt's scope; older duplicates among active attempts are made distinct."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(attempt).order_by(attempt.c.started_at.desc(), attempt.c.id.desc())
    ).all()
    seen: dict[tuple[int, str, str], int] = defaultdict(int)
    for row in rows:
        ids = ",".join(str(i) for i in sorted(row.competency_ids or []))
        scope = f"{row.enrollment_id if row.enrollment_id is not None else '-'}:{ids}"
        if row.status == "active":
            seen[(row.learner_id, row.kind, scope)] += 1
            if seen[(row.learner_id, row.kind, scope)] > 1:
                scope = f"{scope}#{row.id}"
        conn.execute(sa.update(attempt).where(attempt.c.id == row.id).values(scope=scope))


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_attempt_one_active", table_name="attempt")
    stash_columns(revision, "attempt", ["scope"])
    # A plain ALTER TABLE DROP COLUMN (SQLite >= 3.35): no table copy under the foreign keys.
    op.drop_column("attempt", "scope")
