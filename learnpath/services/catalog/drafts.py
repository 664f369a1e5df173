"""Program drafts in the studio: create, change settings, open a new version, publish checks.

Only a draft changes. A published or retired version is frozen: editing it opens a new draft
(version + 1) holding a copy of everything, and learners stay on the version they enrolled in.
"""

from typing import Any, Literal

from sqlmodel import Session, col, func, select

from learnpath.models import (
    Program,
    ProgramChange,
    ProgramModule,
    ProgramOverlay,
    ProgramSession,
    ProgramTarget,
    SegmentRule,
    SegmentRuleModule,
)
from learnpath.models.base import pk
from learnpath.services.catalog.authoring import (
    Invalid,
    check_revision,
    slugify,
    stamp,
    unused_slug,
    validate,
)
from learnpath.services.catalog.schema import DEEP_AUDIENCE, AudienceIn, Name, Strict
from learnpath.vocabulary import Depth

CREATABLE = (Depth.BOXED, Depth.PERSONAL)
"""Depths made from scratch; depths 2–4 are derived from a published version."""


class SettingsIn(Strict):
    """A program version's settings as the studio edits them (same rules as its file)."""

    title: Name
    summary: str = ""
    format: Literal["online", "blended", "in-person"] = "online"
    audience: AudienceIn = AudienceIn()
    instructors: list[Name] = []
    checkpoints: Literal["offered", "none"] = "offered"


def find(session: Session, slug: str, version: int) -> Program | None:
    """A program version by slug and version."""
    return session.exec(
        select(Program).where(Program.slug == slug, Program.version == version)
    ).first()


def editable(program: Program, revision: int | None, user: str) -> None:
    """Refuse a change to a frozen version or from a stale form; mark the draft as changed."""
    if program.status != "draft":
        message = f"version {program.version} is {program.status} and frozen"
        raise Invalid.one("status", f"{message}: open a new draft to change it")
    check_revision(program, revision)
    stamp(program, user)


def create_program(session: Session, user: str, title: str, depth: int, slug: str = "") -> Program:
    """A new draft, version 1, of a boxed or personal program."""
    if depth not in CREATABLE:
        raise Invalid.one(
            "depth", "start a boxed or personal program; the others derive from a published one"
        )
    settings = validate(SettingsIn, {"title": title})
    slug = unused_slug(session, Program, slug.strip() or slugify(title))
    program = Program(slug=slug, title=settings.title, depth=depth, updated_by=user)
    session.add(program)
    session.flush()
    return program


def update_settings(
    session: Session, program: Program, user: str, revision: int | None, data: dict[str, Any]
) -> None:
    """Change title, summary, format, audience, instructors and checkpoint policy of a draft."""
    settings = validate(SettingsIn, data)
    if program.depth_kind.owns_content and settings.audience.kind != DEEP_AUDIENCE:
        message = f"a deep program is for a department or group: choose '{DEEP_AUDIENCE}'"
        raise Invalid.one("audience_kind", message)
    editable(program, revision, user)
    program.title, program.summary = settings.title, settings.summary
    program.format, program.checkpoints = settings.format, settings.checkpoints
    program.audience_kind, program.audience_name = settings.audience.kind, settings.audience.name
    program.instructors = list(settings.instructors)
    session.add(program)
    session.flush()


def versions(session: Session, slug: str) -> list[Program]:
    """Every version of a program, newest first."""
    return list(
        session.exec(
            select(Program).where(Program.slug == slug).order_by(col(Program.version).desc())
        ).all()
    )


def open_draft(session: Session, program: Program, user: str) -> Program:
    """The draft to edit: this one, an existing newer draft, or a new copy as version + 1."""
    if program.status == "draft":
        return program
    newer = session.exec(
        select(Program)
        .where(Program.slug == program.slug, Program.status == "draft")
        .where(Program.version > program.version)
        .order_by(col(Program.version))
    ).first()
    if newer is not None:
        return newer
    latest = session.exec(select(func.max(Program.version)).where(Program.slug == program.slug))
    draft = Program(
        **program.model_dump(
            exclude={"id", "version", "status", "frozen_at", "created_at", "updated_at", "revision"}
        ),
    )
    draft.version, draft.status, draft.updated_by = int(latest.one() or 0) + 1, "draft", user
    session.add(draft)
    session.flush()
    _copy_children(session, pk(program), pk(draft))
    return draft


def _copy_children(session: Session, source: int, target: int) -> None:
    """Copy module list, overlays, sessions, changes, targets and rules to another version."""
    for model in (ProgramModule, ProgramOverlay, ProgramSession, ProgramChange, ProgramTarget):
        for row in session.exec(select(model).where(model.program_id == source)).all():
            values = row.model_dump(exclude={"id", "program_id"})
            session.add(model(program_id=target, **values))
    for rule in session.exec(select(SegmentRule).where(SegmentRule.program_id == source)).all():
        copy = SegmentRule(**rule.model_dump(exclude={"id", "program_id"}), program_id=target)
        session.add(copy)
        session.flush()
        for link in session.exec(
            select(SegmentRuleModule).where(SegmentRuleModule.rule_id == rule.id)
        ).all():
            session.add(SegmentRuleModule(rule_id=pk(copy), module_id=link.module_id))
    session.flush()
