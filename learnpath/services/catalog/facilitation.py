"""What a facilitator adds to a derived draft: live sessions, and notes, examples and wording.

Both are checked by the file format's own models (schema.SessionIn, OverlayIn), so a studio save
and a file import refuse the same things. Sessions are kept in date and time order; notes are in
the order the facilitator puts them.
"""

from datetime import time
from typing import Any

from sqlmodel import Session, col, select

from learnpath.models import Module, Program, ProgramModule, ProgramOverlay, ProgramSession
from learnpath.models.base import pk
from learnpath.services.catalog.authoring import Invalid, validate
from learnpath.services.catalog.composition import entries
from learnpath.services.catalog.drafts import editable
from learnpath.services.catalog.ordering import reordered, shift
from learnpath.services.catalog.schema import OverlayIn, SessionIn


def _derived(program: Program) -> None:
    if program.parent_id is None:
        raise Invalid.one("program", "sessions and facilitator notes belong to derived programs")


def _module_id(session: Session, program: Program, slug: str | None) -> int | None:
    """The id of a module of this program (None for none), or Invalid on `module`."""
    if not slug:
        return None
    found = session.exec(
        select(Module.id)
        .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
        .where(ProgramModule.program_id == program.id, Module.slug == slug)
    ).first()
    if found is None:
        raise Invalid.one("module", f"'{slug}' is not in this program")
    return found


def module_choices(session: Session, program: Program) -> list[tuple[str, str]]:
    """The program's modules in order, as (slug, title): what a session or note may be about."""
    return [(e.module.slug, e.module.title) for e in entries(session, program)]


def _with_modules(
    session: Session, model: Any, program: Program
) -> list[tuple[Any, Module | None]]:
    rows = session.exec(
        select(model, Module)
        .join(Module, col(Module.id) == model.module_id, isouter=True)
        .where(model.program_id == program.id)
        .order_by(col(model.position))
    ).all()
    return [(row, module) for row, module in rows]


def sessions(session: Session, program: Program) -> list[tuple[ProgramSession, Module | None]]:
    """The program's live sessions in order, with the module each covers."""
    return _with_modules(session, ProgramSession, program)


def overlays(session: Session, program: Program) -> list[tuple[ProgramOverlay, Module | None]]:
    """The program's notes, examples, schedule and wording, in order, with their modules."""
    return _with_modules(session, ProgramOverlay, program)


def add_session(
    session: Session, program: Program, user: str, revision: int | None, data: dict[str, Any]
) -> ProgramSession:
    """Schedule a live session; it takes its place in date and time order."""
    _derived(program)
    parsed = validate(SessionIn, data, whole="place")
    module_id = _module_id(session, program, parsed.module)
    editable(program, revision, user)
    row = ProgramSession(
        program_id=pk(program),
        position=0,
        title=parsed.title,
        day=parsed.date,
        start=time.fromisoformat(parsed.time),
        minutes=parsed.minutes,
        place=parsed.place,
        url=parsed.url or "",
        module_id=module_id,
    )
    rows = [s for s, _ in sessions(session, program)]
    rows.append(row)
    rows.sort(key=lambda s: (s.day, s.start, s.position if s.id else len(rows)))
    for i, s in enumerate(rows):
        s.position = i
        session.add(s)
    session.add(program)
    session.flush()
    return row


def remove_session(
    session: Session, program: Program, user: str, revision: int | None, session_id: int
) -> None:
    """Cancel a scheduled session."""
    row = session.get(ProgramSession, session_id)
    if row is None or row.program_id != program.id:
        raise Invalid.one("session", "no such session in this program")
    editable(program, revision, user)
    session.delete(row)
    session.add(program)
    session.flush()


def add_overlay(
    session: Session, program: Program, user: str, revision: int | None, data: dict[str, Any]
) -> ProgramOverlay:
    """Add a note, example, schedule or wording change, for one module or the whole program."""
    _derived(program)
    parsed = validate(OverlayIn, {k: v for k, v in data.items() if v not in (None, "")})
    module_id = _module_id(session, program, parsed.module)
    editable(program, revision, user)
    last = session.exec(
        select(ProgramOverlay.position)
        .where(ProgramOverlay.program_id == program.id)
        .order_by(col(ProgramOverlay.position).desc())
    ).first()
    row = ProgramOverlay(
        program_id=pk(program),
        position=(last + 1) if last is not None else 0,
        kind=parsed.kind,
        module_id=module_id,
        text=parsed.text,
    )
    session.add_all([row, program])
    session.flush()
    return row


def _overlay(session: Session, program: Program, overlay_id: int) -> ProgramOverlay:
    row = session.get(ProgramOverlay, overlay_id)
    if row is None or row.program_id != program.id:
        raise Invalid.one("overlay", "no such note in this program")
    return row


def update_overlay(
    session: Session, program: Program, user: str, revision: int | None, overlay_id: int, text: str
) -> None:
    """Rewrite the text of a note, example, schedule or wording change."""
    row = _overlay(session, program, overlay_id)
    parsed = validate(OverlayIn, {"kind": row.kind, "text": text})
    editable(program, revision, user)
    row.text = parsed.text
    session.add_all([row, program])
    session.flush()


def remove_overlay(
    session: Session, program: Program, user: str, revision: int | None, overlay_id: int
) -> None:
    """Delete a note, example, schedule or wording change."""
    row = _overlay(session, program, overlay_id)
    editable(program, revision, user)
    session.delete(row)
    session.add(program)
    session.flush()


def reorder_overlays(
    session: Session, program: Program, user: str, revision: int | None, ids: list[int]
) -> None:
    """Put the notes in the order `ids` names them all (a drag)."""
    rows = [row for row, _ in overlays(session, program)]
    _place(session, program, user, revision, reordered(rows, ids, pk, "overlay"))


def move_overlay(
    session: Session, program: Program, user: str, revision: int | None, overlay_id: int, step: int
) -> None:
    """Move a note one place up (-1) or down (+1)."""
    rows = [row for row, _ in overlays(session, program)]
    at = rows.index(_overlay(session, program, overlay_id))
    _place(session, program, user, revision, shift(rows, at, step, "note", "overlay"))


def _place(
    session: Session, program: Program, user: str, revision: int | None, rows: list[ProgramOverlay]
) -> None:
    editable(program, revision, user)
    for i, row in enumerate(rows):
        row.position = i
    session.add_all([*rows, program])
    session.flush()
