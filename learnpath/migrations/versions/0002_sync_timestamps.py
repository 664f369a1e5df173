"""sync timestamps: the database stamps change times, learners get a (updated_at, id) index

Revision ID: 0002
Revises: 0001

Incremental sync (`updated_since` and the X-Consistent-Through watermark) needs change times that
a writer cannot take before it holds its place in the commit order. Triggers therefore set
`updated_at` of learners, enrollments and programs and `progressevent.stored_at` on every insert and
update, whatever the application wrote: on PostgreSQL to `now()` (the writing transaction's start,
which the watermark bounds through pg_stat_activity), on SQLite to the time of the write itself
(writers are serialized there, and the watermark is read under the write lock).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAMPED = (
    ("learner", "updated_at"),
    ("enrollment", "updated_at"),
    ("program", "updated_at"),
    ("progressevent", "stored_at"),
)
# SQLAlchemy stores SQLite datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff'; SQLite's clock has ms.
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'"


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("learner", schema=None) as batch_op:
        batch_op.create_index("ix_learner_updated", ["updated_at", "id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _postgresql_triggers() -> None:
    for table, column in STAMPED:
        op.execute(
            f"""
            CREATE FUNCTION learnpath_stamp_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.{column} := now();
                RETURN NEW;
            END $$
            """
        )
        op.execute(
            f"CREATE TRIGGER {table}_stamp BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION learnpath_stamp_{table}()"
        )


def _sqlite_triggers() -> None:
    # recursive_triggers is off, so the trigger's own UPDATE does not fire it again.
    for table, column in STAMPED:
        for event in ("INSERT", "UPDATE"):
            op.execute(
                f"CREATE TRIGGER {table}_stamp_{event.lower()} AFTER {event} ON {table} "
                f"FOR EACH ROW BEGIN UPDATE {table} SET {column} = {SQLITE_NOW} "
                "WHERE id = NEW.id; END"
            )


def downgrade() -> None:
    """Revert this revision."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, _column in STAMPED:
        if postgresql:
            op.execute(f"DROP TRIGGER {table}_stamp ON {table}")
            op.execute(f"DROP FUNCTION learnpath_stamp_{table}()")
        else:
            op.execute(f"DROP TRIGGER {table}_stamp_insert")
            op.execute(f"DROP TRIGGER {table}_stamp_update")
    with op.batch_alter_table("learner", schema=None) as batch_op:
        batch_op.drop_index("ix_learner_updated")
