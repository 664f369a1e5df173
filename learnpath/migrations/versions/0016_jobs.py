"""jobs: background jobs queued by users, their progress, result and error

Revision ID: 0016
Revises: 0017 (written on 0007; chained after 0017 at merge)

`job` is the record users see of work that runs outside the request (moving many learners to a
new version, re-planning after a department rename, calibration). `lock` is unique and set only
while a job is queued or running: at most one active job per kind and subject.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from learnpath.migrate import restore_rows, stash_rows

revision: str = "0016"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _string(length: int) -> sa.types.TypeEngine:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _string(64), nullable=False),
        sa.Column("subject", _string(200), nullable=False),
        sa.Column("title", _string(300), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("status", _string(16), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("message", _string(300), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", _string(200), nullable=False),
        sa.Column("lock", _string(270), nullable=True),
        sa.Column("queued_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("heartbeat_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("retry_of", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_queued_at"), ["queued_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_lock"), ["lock"], unique=True)
    restore_rows(revision, "job")


def downgrade() -> None:
    """Revert this revision: the job records move to the attic and come back with the upgrade."""
    stash_rows(revision, "job")
    with op.batch_alter_table("job", schema=None) as batch_op:
        for name in ("lock", "queued_at", "actor_id", "status", "kind"):
            batch_op.drop_index(batch_op.f(f"ix_job_{name}"))
    op.drop_table("job")
