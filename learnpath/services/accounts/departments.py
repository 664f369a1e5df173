"""Departments: the list admins manage, and renaming or merging them everywhere a name lives.

Decision: a `Department` table lists the departments, and every place that names one keeps the
name as a string (the HR API sends strings, content files and the planner's rules read them),
rewritten together on a rename or merge. A foreign key would have meant changing the HR API,
the content files and the planner for no gain to them. `PLACES` names every such place once: a
new column naming a department is added there, and rename, merge and the counts follow.

Names match exactly, as stored, except in segment-rule conditions, which the planner matches
without regard to case (so do these rewrites there). Two departments may not differ only in case.
Published (frozen) program versions are rewritten too: a department's new name is a data fix,
not a content change, and a frozen audience naming a department that no longer exists would
match nobody.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, col, func, select, update

from learnpath.models import Department, Learner, Program, SegmentRule
from learnpath.models.base import pk
from learnpath.services import jobs
from learnpath.services.accounts.users import AccountError
from learnpath.services.audit import Actor
from learnpath.services.learning import trajectory

MAX_NAME = 120
REPLAN_IN_REQUEST_UP_TO = 200
"""More learners to re-plan than this (~42 ms each) and the re-planning runs as a job."""
REPLAN_JOB = "re-planning job"
"""The key of the counts that names the queued re-planning job, if one was queued."""


def _learners(session: Session, old: str, new: str, actor: str) -> int:
    """Learners in the department move to the new name (the database stamps them for HR sync)."""
    moved = session.exec(
        update(Learner)
        .where(col(Learner.department) == old)
        .values(department=new)
        .execution_options(synchronize_session="fetch")
    )
    return int(moved.rowcount)


def _programs_naming(session: Session, names: set[str]) -> set[int]:
    """Programs with a segment rule whose conditions name one of these departments."""
    folded = {n.casefold() for n in names}
    return {
        rule.program_id
        for rule in session.exec(select(SegmentRule)).all()
        if any(n.casefold() in folded for n in rule.conditions.get("department") or [])
    }


def _audiences(session: Session, old: str, new: str, actor: str) -> int:
    """Program versions made for the department (drafts and published ones alike)."""
    rows = session.exec(
        select(Program).where(Program.audience_kind == "department", Program.audience_name == old)
    ).all()
    for program in rows:
        program.audience_name = new
        program.updated_by = actor  # the revision moves: an open form on it is refused as stale
        session.add(program)
    return len(rows)


def _rules(session: Session, old: str, new: str, actor: str) -> int:
    """Segment rules whose conditions name the department (matched as the planner does)."""
    changed = 0
    for rule in session.exec(select(SegmentRule)).all():
        named = rule.conditions.get("department") or []
        if not any(n.casefold() == old.casefold() for n in named):
            continue
        renamed = [new if n.casefold() == old.casefold() else n for n in named]
        rule.conditions = {**rule.conditions, "department": list(dict.fromkeys(renamed))}
        session.add(rule)
        changed += 1
    return changed


Place = Callable[[Session, str, str, str], int]
PLACES: dict[str, Place] = {
    "learners": _learners,
    "program audiences": _audiences,
    "segment rules": _rules,
}
"""Every place a department's name is stored, rewritten old → new; each returns its count."""


def rewrite_everywhere(session: Session, old: str, new: str, actor: str | Actor) -> dict[str, int]:
    """Rewrite the name in every place, then re-plan whom it may concern; counts per place.

    Plans change only through segment rules: the learners of both names who are enrolled in a
    program whose rules name either of them are re-planned, once everything is rewritten (a
    merge makes the source's rules apply to the target's people too); nobody else is. More than
    REPLAN_IN_REQUEST_UP_TO learners are re-planned by a job, queued when the caller commits
    (counts[REPLAN_JOB] is its id); their plans follow within moments.
    """
    who = actor if isinstance(actor, Actor) else Actor(None, actor)
    in_either = select(Learner.id).where(col(Learner.department).in_([old, new]))
    learners = [i for i in session.exec(in_either).all() if i is not None]
    programs = _programs_naming(session, {old, new})
    counts = {place: rewrite(session, old, new, who.name) for place, rewrite in PLACES.items()}
    if learners and programs and len(learners) > REPLAN_IN_REQUEST_UP_TO:
        job = jobs.enqueue(
            session,
            "replan-learners",
            f"departments {old} → {new}",
            who,
            f"Re-plan {len(learners)} learners of {new}",
            learners=sorted(learners),
            programs=sorted(programs),
        )
        counts[REPLAN_JOB] = pk(job)
    elif learners and programs:
        trajectory.replan_learners_in(session, learners, programs)
    return counts


@dataclass(frozen=True)
class DepartmentRow:
    """A department as the list shows it: its row (None if only HR uses the name), its people."""

    name: str
    department: Department | None
    learners: int
    audiences: int


def names(session: Session) -> list[str]:
    """Every department name: the listed ones and any a learner or audience still uses."""
    listed = session.exec(select(Department.name)).all()
    used = session.exec(select(Learner.department).where(Learner.department != "")).all()
    audiences = session.exec(
        select(Program.audience_name).where(Program.audience_kind == "department")
    ).all()
    return sorted({*listed, *used, *(a for a in audiences if a)}, key=str.casefold)


def overview(session: Session) -> list[DepartmentRow]:
    """Every department with how many learners and program versions name it."""
    listed = {d.name: d for d in session.exec(select(Department)).all()}
    people = dict(
        session.exec(
            select(Learner.department, func.count()).group_by(col(Learner.department))
        ).all()
    )
    programs = dict(
        session.exec(
            select(Program.audience_name, func.count())
            .where(Program.audience_kind == "department")
            .group_by(col(Program.audience_name))
        ).all()
    )
    return [
        DepartmentRow(n, listed.get(n), people.get(n, 0), programs.get(n, 0))
        for n in names(session)
    ]


def by_name(session: Session, name: str) -> Department | None:
    """The listed department with this name, ignoring case."""
    rows = session.exec(select(Department)).all()
    return next((d for d in rows if d.name.casefold() == name.strip().casefold()), None)


def create(session: Session, name: str) -> Department:
    """List a new department (or one only HR used so far)."""
    name = _checked(name)
    if by_name(session, name) is not None:
        raise AccountError(f"name: a department called '{name}' exists already")
    clash = next((n for n in names(session) if n.casefold() == name.casefold() and n != name), "")
    if clash:
        raise AccountError(f"name: people are already in '{clash}'; list that one instead")
    department = Department(name=name)
    session.add(department)
    session.flush()
    return department


def rename(
    session: Session, department: Department, new: str, actor: str | Actor
) -> dict[str, int]:
    """Rename a department everywhere its name lives; how many rows changed per place."""
    new, old = _checked(new), department.name
    other = by_name(session, new)
    if other is not None and pk(other) != pk(department):
        raise AccountError(f"name: '{other.name}' exists; merge into it instead")
    counts = rewrite_everywhere(session, old, new, actor)
    department.name = new
    session.add(department)
    session.flush()
    return counts


def merge(
    session: Session, source: Department, target: Department, actor: str | Actor
) -> dict[str, int]:
    """Move everything of `source` (people, audiences, rules) to `target`; `source` goes."""
    if pk(source) == pk(target):
        raise AccountError("into: choose another department to merge into")
    counts = rewrite_everywhere(session, source.name, target.name, actor)
    session.delete(source)
    session.flush()
    return counts


def _checked(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise AccountError("name: a department needs a name")
    if len(name) > MAX_NAME:
        raise AccountError(f"name: at most {MAX_NAME} characters")
    return name
