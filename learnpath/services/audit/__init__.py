"""The audit log: writes made by an actor are recorded automatically, in their transaction.

A session carrying an actor (`set_actor`) records, on every flush, each row it inserts, updates
or deletes, and each bulk statement it runs; `recorder.install` hooks this into SQLAlchemy once.
Services need not call anything: the studio and admin commands set the actor, and every write
made in their session is recorded.
"""

from learnpath.services.audit.recorder import (
    Actor,
    AuditImmutable,
    actor_of,
    install,
    set_actor,
)

__all__ = ["Actor", "AuditImmutable", "actor_of", "install", "set_actor"]
