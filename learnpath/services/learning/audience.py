"""Who sees a program version: its audience, its self-enrolment audience, its enrollments.

A learner sees a published version when its audience includes them (everyone, or their
department), when it is open to self-enrolment for them (everyone, their department or their
role), or when they are enrolled in it (not withdrawn). Everything else is invisible: the
learner's pages answer 404, as for a version that does not exist. Staff see every version.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from learnpath.models import Enrollment, Learner, Program
from learnpath.vocabulary import SELF_ENROL_AUDIENCES


def audience_includes(program: Program, learner: Learner) -> bool:
    """Whether the version was made for the learner: for anyone, or for their department."""
    if program.audience_kind == "anyone":
        return True
    return program.audience_kind == "department" and _same(
        program.audience_name or "", learner.department
    )


def open_to(program: Program, learner: Learner) -> bool:
    """Whether the learner may enrol themselves in this version."""
    if program.status != "published" or not learner.active:
        return False
    if program.self_enrol == "everyone":
        return True
    if program.self_enrol == "department":
        return _same(program.self_enrol_name, learner.department)
    if program.self_enrol == "role":
        return _same(program.self_enrol_name, learner.role)
    return False


def _same(name: str, value: str) -> bool:
    """Department and role names match without regard to case or surrounding spaces."""
    return bool(name.strip()) and name.strip().casefold() == value.strip().casefold()


def enrolled_ids(session: Session, learner: Learner) -> set[int]:
    """The program versions the learner is enrolled in (withdrawn ones not counted)."""
    rows = session.exec(
        select(Enrollment.program_id).where(
            Enrollment.learner_id == learner.id, col(Enrollment.status) != "withdrawn"
        )
    ).all()
    return set(rows)


def sees(session: Session, learner: Learner, program: Program) -> bool:
    """Whether the learner may see this program version at all."""
    if program.status != "published":
        return False
    if audience_includes(program, learner) or open_to(program, learner):
        return True
    return program.id in enrolled_ids(session, learner)


def visible(session: Session, learner: Learner, programs: list[Program]) -> list[Program]:
    """The versions among `programs` the learner may see, in the same order."""
    enrolled = enrolled_ids(session, learner)
    return [
        p
        for p in programs
        if p.status == "published"
        and (p.id in enrolled or audience_includes(p, learner) or open_to(p, learner))
    ]


class AudienceError(ValueError):
    """A self-enrolment setting that cannot be saved: the field and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def set_self_enrol(program: Program, audience: str, name: str, user: str) -> None:
    """Open the version to self-enrolment for an audience ('' closes it); a name if it needs one."""
    if audience not in ("", *SELF_ENROL_AUDIENCES):
        raise AudienceError("audience", f"choose from {', '.join(SELF_ENROL_AUDIENCES)}")
    if program.status == "retired":
        raise AudienceError("audience", "a retired version takes no learners")
    needs_name = audience in ("department", "role")
    if needs_name and not name.strip():
        raise AudienceError("name", f"name the {audience} whose learners may enrol")
    program.self_enrol = audience
    program.self_enrol_name = name.strip() if needs_name else ""
    program.updated_by = user
