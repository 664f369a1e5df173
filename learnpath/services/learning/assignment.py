"""Assigning a program version to many learners: who a selection names, a preview, the enrolment.

A selection is a person (e-mail or external id), a department, a role, a manager's team (their
direct reports) or an uploaded roster. The preview says who will be enrolled (re-enrolled if
they had been withdrawn), who already is, who is deactivated and which roster rows match
nobody. `confirm` resolves the selection again on the server, never from a list the browser
sent back, and enrols through `enrolment.enrol`: a second confirm enrols nobody twice. It
stores no plans (each is stored at its learner's first event), so that thousands of learners
are enrolled within the request (benchmarks/bench_assign.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from learnpath.models import Enrollment, Learner, Program
from learnpath.models.base import pk
from learnpath.services.learning import enrolment, roster

KINDS = ("person", "department", "role", "team", "csv")


class SelectionError(ValueError):
    """A selection that cannot be read (e.g. a refused roster): its problems."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Selection:
    """Whom to enrol: a kind and its value; `roster_text` holds an uploaded roster's content."""

    kind: str
    value: str = ""
    roster_text: str = ""


@dataclass
class Preview:
    """What confirming would do, before anything is written."""

    enrol: list[Learner] = field(default_factory=list)
    again: list[Learner] = field(default_factory=list)  # withdrawn before: continue
    already: list[Learner] = field(default_factory=list)
    inactive: list[Learner] = field(default_factory=list)
    unmatched: list[roster.Row] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """Names the set of learners a confirm would enrol, to tell if it changed meanwhile."""
        ids = sorted(pk(x) for x in [*self.enrol, *self.again])
        return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]


def preview(session: Session, program: Program, selection: Selection) -> Preview:
    """Who the selection names, sorted into what a confirm would do with them."""
    learners, unmatched = _resolve(session, selection)
    status = _statuses(session, program, learners)
    result = Preview(unmatched=unmatched)
    for learner in sorted(learners, key=lambda x: (x.name.casefold(), pk(x))):
        if status.get(pk(learner)) not in (None, "withdrawn"):
            result.already.append(learner)
        elif not learner.active:
            result.inactive.append(learner)
        elif pk(learner) in status:
            result.again.append(learner)
        else:
            result.enrol.append(learner)
    return result


def confirm(
    session: Session, program: Program, selection: Selection, due_at: datetime | None
) -> tuple[Preview, int]:
    """Enrol everyone the selection names now; the preview it acted on and how many changed."""
    found = preview(session, program, selection)
    changed = enrolment.enrol_many(session, [*found.enrol, *found.again], program, "admin", due_at)
    return found, changed


def _statuses(session: Session, program: Program, learners: list[Learner]) -> dict[int, str]:
    """Each of these learners' enrollment status in the program, if they have one."""
    ids = [pk(x) for x in learners]
    if not ids:
        return {}
    rows = session.exec(
        select(Enrollment.learner_id, Enrollment.status).where(
            Enrollment.program_id == pk(program), col(Enrollment.learner_id).in_(ids)
        )
    ).all()
    return dict(rows)


def _resolve(session: Session, selection: Selection) -> tuple[list[Learner], list[roster.Row]]:
    """The learners a selection names, and the roster rows that name nobody."""
    value = selection.value.strip()
    if selection.kind == "csv":
        return _from_roster(session, selection.roster_text)
    if selection.kind == "person":
        return _from_roster_rows(session, [_person_row(value)])
    if selection.kind == "team":
        manager = int(value) if value.isdigit() else -1
        return _where(session, col(Learner.manager_id) == manager), []
    if selection.kind in ("department", "role"):
        column = col(getattr(Learner, selection.kind))
        return _where(session, func.lower(column) == value.lower()) if value else [], []
    raise SelectionError([f"choose how to select learners: {', '.join(KINDS)}"])


def _person_row(value: str) -> roster.Row:
    """The one person typed in: an e-mail address or an external id."""
    return roster.Row(1, "email" if "@" in value else "external_id", value)


def _where(session: Session, condition: object) -> list[Learner]:
    return list(session.exec(select(Learner).where(condition)).all())  # type: ignore[arg-type]


def _from_roster(session: Session, text: str) -> tuple[list[Learner], list[roster.Row]]:
    """A roster's learners; a roster with problems is refused whole."""
    read = roster.read(text.encode("utf-8"))
    if read.problems:
        raise SelectionError(read.problems)
    return _from_roster_rows(session, read.rows)


def _from_roster_rows(
    session: Session, rows: list[roster.Row]
) -> tuple[list[Learner], list[roster.Row]]:
    """Match rows by e-mail (any case) or external id; rows naming nobody are returned too."""
    emails = {r.value.lower() for r in rows if r.key == "email"}
    ids = {r.value for r in rows if r.key == "external_id"}
    found = list(
        session.exec(
            select(Learner).where(
                col(Learner.email).in_(emails) | col(Learner.external_id).in_(ids)
            )
        ).all()
    )
    by_email = {x.email.lower(): x for x in found}
    by_id = {x.external_id: x for x in found}
    learners: dict[int, Learner] = {}
    unmatched = []
    for row in rows:
        learner = by_email.get(row.value.lower()) if row.key == "email" else by_id.get(row.value)
        if learner is None:
            unmatched.append(row)
        else:
            learners[pk(learner)] = learner
    return list(learners.values()), unmatched


def choices(session: Session) -> dict[str, list[tuple[str, str]]]:
    """The departments, roles and managers (with direct reports) learners have, for a form."""
    departments = session.exec(
        select(Learner.department).where(Learner.department != "").distinct()
    ).all()
    roles = session.exec(select(Learner.role).where(Learner.role != "").distinct()).all()
    managers = session.exec(
        select(Learner).where(
            col(Learner.id).in_(
                select(Learner.manager_id).where(col(Learner.manager_id).isnot(None))
            )
        )
    ).all()
    return {
        "department": [(d, d) for d in sorted(departments)],
        "role": [(r, r) for r in sorted(roles)],
        "team": [(str(pk(m)), f"{m.name}'s team") for m in sorted(managers, key=lambda m: m.name)],
    }
