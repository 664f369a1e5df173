"""Recording writes: a flush listener, a bulk-statement listener, and the audit rows' guard.

After each flush of a session that carries an actor, every row the flush inserted, updated or
deleted becomes an audit entry, inserted on the flush's own connection: the entries commit or
roll back with the change. `after_flush` still sees the rows' pending lists and attribute
history, and by then new rows have their primary keys. Bulk statements (`session.execute(
update(...))`) bypass the flush, so `do_orm_execute` records each as one entry.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, UOWTransaction
from sqlalchemy.orm.state import InstanceState
from sqlalchemy.sql import ClauseElement

from learnpath.models import AuditEntry
from learnpath.services.audit.values import compact
from learnpath.vocabulary import AuditAction, utcnow

ACTOR = "learnpath.audit.actor"
"""The key of `Session.info` that holds the session's actor."""

SKIPPED = frozenset({"auditentry", "trajectorystep", "job"})
"""Tables not recorded: the log itself, and learners' stored plans, which re-planning rewrites
from the catalog after a module is saved (the module save is recorded; its consequence, up to
thousands of plan rows per save, would bury it), and background jobs, whose row is itself the
record of who queued what (its progress writes would bury the rest)."""


@dataclass(frozen=True)
class Actor:
    """Who is writing: a user (id and name at the time), or a command (no id); and from where."""

    user_id: int | None
    name: str
    origin: str = ""


class AuditImmutable(RuntimeError):
    """An audit entry was about to be updated or deleted: the application never does that."""


def set_actor(session: Session, actor: Actor) -> None:
    """Record every write of this session under `actor` from now on."""
    session.info[ACTOR] = actor


def actor_of(session: Session) -> Actor | None:
    """The actor this session's writes are recorded under, if any."""
    actor = session.info.get(ACTOR)
    return actor if isinstance(actor, Actor) else None


def install() -> None:
    """Hook the recorder into every session and guard the audit rows (once per process)."""
    if event.contains(Session, "after_flush", _record_flush):
        return
    event.listen(Session, "after_flush", _record_flush)
    event.listen(Session, "do_orm_execute", _record_statement)
    event.listen(AuditEntry, "before_update", _refuse)
    event.listen(AuditEntry, "before_delete", _refuse)


def _table(mapper: Mapper[Any]) -> str:
    return str(mapper.class_.__tablename__)


def _refuse(*_args: Any) -> None:
    raise AuditImmutable("audit entries are never updated or deleted")


def _record_flush(session: Session, _flush: UOWTransaction) -> None:
    actor = actor_of(session)
    if actor is None:
        return
    found: list[tuple[AuditAction, Any]] = [
        *(("insert", o) for o in session.new),
        *(("update", o) for o in session.dirty),
        *(("delete", o) for o in session.deleted),
    ]
    at = utcnow()
    entries = []
    for action, row in found:
        state: InstanceState[Any] = inspect(row)
        if _table(state.mapper) in SKIPPED:
            continue
        changes = _changes(state, action)
        if changes or action != "update":
            entries.append(_entry(actor, at, action, state, changes))
    if entries:
        session.connection().execute(insert(AuditEntry), entries)


def _entry(
    actor: Actor, at: Any, action: AuditAction, state: InstanceState[Any], changes: dict[str, Any]
) -> dict[str, Any]:
    mapper = state.mapper
    keys = [mapper.get_property_by_column(c).key for c in mapper.primary_key]
    return {
        **_who(actor, at),
        "action": action,
        "entity": _table(mapper),
        "entity_id": "/".join(str(state.dict.get(k, "")) for k in keys)[:100],
        "changes": changes,
    }


def _who(actor: Actor, at: Any) -> dict[str, Any]:
    return {
        "at": at,
        "actor_id": actor.user_id,
        "actor": actor.name[:200],
        "origin": actor.origin[:300],
    }


def _changes(state: InstanceState[Any], action: AuditAction) -> dict[str, Any]:
    """Changed columns as [before, after] for an update; loaded values for an insert or delete."""
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if action != "update":
            if state.dict.get(key) is not None:
                out[key] = compact(key, state.dict[key])
            continue
        history = state.attrs[key].history
        if not history.added:
            continue
        before = history.deleted[0] if history.deleted else None
        if before != history.added[0]:
            out[key] = [compact(key, before), compact(key, history.added[0])]
    return out


def _record_statement(call: ORMExecuteState) -> None:
    """Refuse bulk changes of the log; record other bulk writes made by an actor as one entry."""
    if not (call.is_insert or call.is_update or call.is_delete):
        return
    mapper = call.bind_mapper
    table = _table(mapper) if mapper is not None else ""
    if table == "auditentry" and not call.is_insert:
        _refuse()
    actor = actor_of(call.session)
    if actor is None or table in SKIPPED or not table:
        return
    action: AuditAction = (
        "bulk insert" if call.is_insert else "bulk update" if call.is_update else "bulk delete"
    )
    statement = call.statement
    assert isinstance(statement, ClauseElement)
    compiled = statement.compile(dialect=call.session.get_bind().dialect)
    changes: dict[str, Any] = {"sql": compact("sql", str(compiled))}
    if isinstance(call.parameters, list):
        changes["rows"] = len(call.parameters)
    else:
        changes["params"] = {k: compact(k, v) for k, v in compiled.params.items()}
    entry = {**_who(actor, utcnow()), "action": action, "entity": table, "entity_id": ""}
    call.session.connection().execute(insert(AuditEntry), [{**entry, "changes": changes}])
