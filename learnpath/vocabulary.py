"""The shared words of learnpath: depths, levels, statuses, roles, formats and UTC times.

The bottom layer: standard library only and nothing of learnpath, so the pure cores (irt/,
planning/), the models, the services and the views all take each rule from here. A closed
set of words is written once as a `Literal` (mypy and pydantic check it); the tuple next to
it is derived from the `Literal`, for loops, choices and messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import IntEnum
from types import MappingProxyType
from typing import Literal, get_args


class Depth(IntEnum):
    """How far a program version is customized: 1 boxed … 5 personal (stored as the integer)."""

    BOXED = 1
    FACILITATED = 2
    SPECIALIZED = 3
    DEEP = 4
    PERSONAL = 5

    @property
    def label(self) -> str:
        """The depth's name as learners read it, e.g. "facilitated"."""
        return self.name.lower()

    @property
    def is_derived(self) -> bool:
        """Depths 2–4 derive from a parent program (facilitated, specialized, deep)."""
        return Depth.FACILITATED <= self <= Depth.DEEP

    @property
    def keeps_parent_modules(self) -> bool:
        """A facilitated run takes the parent's modules as they are: no module changes."""
        return self is Depth.FACILITATED

    @property
    def is_personal(self) -> bool:
        """Depth 5: a pool with targets and rules, planned per learner."""
        return self is Depth.PERSONAL

    @property
    def owns_content(self) -> bool:
        """A deep program may own department-only modules and items (used by its line only)."""
        return self is Depth.DEEP


DEPTH_RANGE = (int(min(Depth)), int(max(Depth)))
"""Lowest and highest depth, for range checks in schemas and the database."""

Level = Literal["novice", "developing", "proficient", "advanced", "expert"]
LEVELS: tuple[Level, ...] = get_args(Level)
"""Named ability bands, lowest first."""

DEFAULT_LEVEL_BANDS: Mapping[str, float] = MappingProxyType(
    {"developing": -1.5, "proficient": -0.5, "advanced": 0.5, "expert": 1.5}
)
"""Lower θ bound (logits) of each band above novice; a program may override them."""

CERTAINTY: tuple[tuple[float, str], ...] = ((0.3, "sure"), (0.45, "fairly sure"))
"""Plain words for a measurement's standard error (logits): at most 0.3 is "sure", and so on."""

UNSURE = "not yet sure"
"""What a measurement less precise than every CERTAINTY bound is called."""


def certainty(se: float) -> str:
    """How sure a level is, in words, from its standard error (logits)."""
    return next((word for bound, word in CERTAINTY if se <= bound), UNSURE)


DEFAULT_TARGET_LEVEL: Level = "proficient"
"""The target of a competency a program builds but sets no target for (for the learner's role)."""

ProgramStatus = Literal["draft", "published", "retired"]
"""A program version's life: authored as a draft, published to learners, retired."""

AudienceKind = Literal["anyone", "client", "department", "learner"]
"""Whom a program version is made for; every kind but "anyone" names the audience."""

EnrollmentStatus = Literal["assigned", "in_progress", "completed", "withdrawn"]
ENROLLMENT_STATUSES: tuple[EnrollmentStatus, ...] = get_args(EnrollmentStatus)
"""An enrollment's status as stored and as the HR API names it."""

SelfEnrolAudience = Literal["everyone", "department", "role"]
SELF_ENROL_AUDIENCES: tuple[SelfEnrolAudience, ...] = get_args(SelfEnrolAudience)
"""Who may enrol themselves in a program version ('' stored: nobody, it is closed)."""

Role = Literal["learner", "author", "facilitator", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
STAFF_ROLES: frozenset[Role] = frozenset(ROLES) - {"learner"}
"""Roles of L&D staff, who also see draft and retired program versions."""

AuditAction = Literal["insert", "update", "delete", "bulk insert", "bulk update", "bulk delete"]
AUDIT_ACTIONS: tuple[AuditAction, ...] = get_args(AuditAction)
"""What an audit entry records: a row written, changed or removed, or a statement over many."""

ModuleFormat = Literal["reading", "video", "exercise", "workshop", "case"]
MODULE_FORMATS: tuple[ModuleFormat, ...] = get_args(ModuleFormat)


def utcnow() -> datetime:
    """Current time, timezone-aware in UTC (SQLModel's UTCDateTime refuses naive values)."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A stored time as aware UTC: SQLite hands back naive UTC datetimes, PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, as the API and xAPI write times (other offsets converted)."""
    return aware(moment).astimezone(UTC).isoformat().replace("+00:00", "Z")


JobStatus = Literal["queued", "running", "done", "failed"]
JOB_STATUSES: tuple[JobStatus, ...] = get_args(JobStatus)
"""A background job's life: queued, running (with progress), then done or failed."""
