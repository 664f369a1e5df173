"""Program tables: versions at five depths, derivations, pools, targets and segment rules."""

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from learnpath.models.base import created_field, json_field, revision_lock, text_field
from learnpath.vocabulary import DEPTH_RANGE, Depth


class Program(SQLModel, table=True):
    """One version of a training program at a customization depth (1 boxed … 5 personal)."""

    __table_args__ = (
        UniqueConstraint("slug", "version"),
        CheckConstraint(
            f"depth BETWEEN {DEPTH_RANGE[0]} AND {DEPTH_RANGE[1]}", name="program_depth"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, index=True)
    version: int = 1
    title: str = Field(max_length=200)
    summary: str = text_field()
    depth: int = int(Depth.BOXED)
    status: str = Field(default="draft", max_length=16)
    audience_kind: str = Field(default="anyone", max_length=16)
    audience_name: str | None = Field(default=None, max_length=200)
    format: str = Field(default="online", max_length=16)
    instructors: list[str] = json_field()
    parent_id: int | None = Field(default=None, foreign_key="program.id")
    placement: dict[str, Any] | None = json_field(None)
    level_bands: dict[str, float] | None = json_field(None)
    checkpoints: str = Field(default="offered", max_length=16)  # checkpoint policy
    # Self-enrolment: '' closed, else a SelfEnrolAudience; the department or role it names.
    self_enrol: str = Field(default="", max_length=16)
    self_enrol_name: str = Field(default="", max_length=120)
    frozen_at: datetime | None = None
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    revision: int = 0  # optimistic lock (revision_lock): every save adds 1
    updated_by: str = Field(default="", max_length=200)  # '' = a file import

    __mapper_args__ = revision_lock()

    @property
    def depth_kind(self) -> Depth:
        """The stored depth as the named enum (its label, its predicates)."""
        return Depth(self.depth)

    @property
    def is_personal(self) -> bool:
        """Depth 5: a module pool shaped per learner by targets and rules."""
        return self.depth_kind.is_personal


class ProgramModule(SQLModel, table=True):
    """A module of a program, in order: the effective list (derivations resolved) or the pool."""

    program_id: int = Field(foreign_key="program.id", primary_key=True)
    module_id: int = Field(foreign_key="module.id", primary_key=True)
    position: int
    mandatory: bool = False


class ProgramOverlay(SQLModel, table=True):
    """A facilitator overlay on a derived program: note, example, schedule or wording."""

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    position: int
    kind: str = Field(max_length=16)
    module_id: int | None = Field(default=None, foreign_key="module.id")
    text: str = text_field()


class ProgramSession(SQLModel, table=True):
    """A live session of a derived program's cohort: when, how long, where (a place or a URL)."""

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    position: int
    title: str = Field(max_length=200)
    day: date
    start: time  # local time at the place, as the facilitator wrote it
    minutes: int = 60
    place: str = Field(default="", max_length=200)
    url: str = Field(default="", max_length=500)
    module_id: int | None = Field(default=None, foreign_key="module.id")  # the module it covers


class ProgramChange(SQLModel, table=True):
    """One recorded module change of a derivation: select, swap, add, move or remove."""

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    position: int
    op: str = Field(max_length=16)
    module_id: int | None = Field(default=None, foreign_key="module.id")
    other_module_id: int | None = Field(default=None, foreign_key="module.id")
    anchor: str = Field(default="", max_length=8)  # add/move: "end", "first" or "after" other
    module_ids: list[int] = json_field()


class ProgramTarget(SQLModel, table=True):
    """Target level of a competency in a personal program; role '' is the default."""

    program_id: int = Field(foreign_key="program.id", primary_key=True)
    competency_id: int = Field(foreign_key="competency.id", primary_key=True)
    role: str = Field(default="", primary_key=True, max_length=80)
    level: str = Field(max_length=16)


class SegmentRule(SQLModel, table=True):
    """A rule as data: when conditions hold for a learner, include/exclude/mandate modules."""

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    position: int
    name: str = Field(max_length=200)
    conditions: dict[str, Any] = json_field(dict)
    action: str = Field(max_length=16)
    format: str = Field(default="", max_length=16)  # prefer_format: the preferred format
    minutes_per_week: int | None = None  # pace: the weekly time it sets


class SegmentRuleModule(SQLModel, table=True):
    """A module a segment rule acts on."""

    rule_id: int = Field(foreign_key="segmentrule.id", primary_key=True)
    module_id: int = Field(foreign_key="module.id", primary_key=True)
