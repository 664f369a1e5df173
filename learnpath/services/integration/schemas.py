"""Data models at the API boundary: what clients send (validated) and what they get back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from learnpath.services.integration.formats import DateTime, Email
from learnpath.services.integration.ids import pattern
from learnpath.vocabulary import DEPTH_RANGE, EnrollmentStatus, Level, ProgramStatus

# Printable text only: control characters have no place in names and break some databases.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
EXTERNAL_ID = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,79}$"

ExternalId = Annotated[str, StringConstraints(pattern=EXTERNAL_ID)]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=PRINTABLE)]


def text(max_length: int, min_length: int = 0) -> Any:
    """A printable string field of bounded length (required when it may not be empty)."""
    default: Any = ... if min_length else ""
    return Field(default, min_length=min_length, max_length=max_length, pattern=PRINTABLE)


class LearnerIn(BaseModel):
    """PUT /learners/{external_id}: the whole profile (fields left out take their defaults)."""

    model_config = ConfigDict(extra="forbid")

    email: Email
    name: str = text(200, 1)
    role: str = text(80)
    department: str = text(120)
    manager_external_id: ExternalId | None = None
    locale: str = Field("en", pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$", max_length=16)
    interests: list[Tag] = Field(default_factory=list, max_length=50)
    active: StrictBool = True


class EnrollmentIn(BaseModel):
    """POST /enrollments: assign a learner to a program version."""

    model_config = ConfigDict(extra="forbid")

    learner_external_id: ExternalId
    program_id: str = Field(pattern=pattern("program"))
    due_at: DateTime | None = None


class CompetencyRef(BaseModel):
    """A competency as the catalog names it."""

    id: str
    slug: str
    name: str


class ProgramOut(BaseModel):
    """One program version of the catalog."""

    id: str
    slug: str
    title: str
    depth: int = Field(ge=DEPTH_RANGE[0], le=DEPTH_RANGE[1])
    version: int
    status: ProgramStatus
    parent_id: str | None
    competencies: list[CompetencyRef]
    estimated_minutes: int


class LearnerOut(BaseModel):
    """A learner profile as the HR system gave it, plus its times."""

    external_id: str
    email: str
    name: str
    role: str
    department: str
    manager_external_id: str | None = Field(
        description="The manager's external id; while manager_pending, one not pushed yet"
    )
    manager_pending: bool = Field(
        False, description="The manager has not been pushed yet: linked when they arrive"
    )
    locale: str
    interests: list[str]
    active: bool
    created_at: datetime
    updated_at: datetime


class LearnerRef(BaseModel):
    """Who an enrollment belongs to."""

    external_id: str
    email: str


class ProgramRef(BaseModel):
    """Which program version an enrollment is for."""

    id: str
    slug: str
    title: str
    version: int
    depth: int


class ModuleCounts(BaseModel):
    """Modules of the learner's trajectory by state (remaining = still planned)."""

    total: int
    completed: int
    waived: int
    remaining: int


class WaivedModule(BaseModel):
    """A module the learner does not need to take, and why (e.g. Tested Out)."""

    id: str
    reason: str


class PlacementCompetency(BaseModel):
    """The placement estimate of one competency (θ and SE in logits)."""

    id: str
    theta: float
    se: float
    level: Level


class Placement(BaseModel):
    """The latest finished placement test of the enrollment."""

    taken_at: datetime
    competencies: list[PlacementCompetency]


class CompetencyStatus(BaseModel):
    """The learner's current level in a competency of the program against its target."""

    id: str
    name: str
    level: Level | None
    target_level: Level
    proficient: bool


class EnrollmentRecord(BaseModel):
    """The normalized record of one learner in one program."""

    id: str
    learner: LearnerRef
    program: ProgramRef
    status: EnrollmentStatus
    overdue: bool
    assigned_at: datetime
    due_at: datetime | None
    started_at: datetime | None
    last_activity_at: datetime | None
    completed_at: datetime | None
    progress_pct: float = Field(ge=0, le=100)
    time_spent_s: int = Field(ge=0)
    modules: ModuleCounts
    waived_modules: list[WaivedModule]
    placement: Placement | None
    competencies: list[CompetencyStatus]
    updated_at: datetime


class LevelOut(BaseModel):
    """A learner's current measured level in a competency."""

    id: str
    name: str
    level: Level
    theta: float
    se: float
    updated_at: datetime


class ProgressOut(BaseModel):
    """A learner's enrollments and current levels."""

    learner: LearnerOut | LearnerRef = Field(
        description="The whole profile if the token also holds learners:read, else who it is"
    )
    enrollments: list[EnrollmentRecord]
    levels: list[LevelOut]


class ProgramPage(BaseModel):
    """A page of programs."""

    data: list[ProgramOut]
    next_cursor: str | None
    has_more: bool


class LearnerPage(BaseModel):
    """A page of learners."""

    data: list[LearnerOut]
    next_cursor: str | None
    has_more: bool


class EnrollmentPage(BaseModel):
    """A page of enrollment records."""

    data: list[EnrollmentRecord]
    next_cursor: str | None
    has_more: bool


class ErrorDetail(BaseModel):
    """What is wrong with one field."""

    field: str
    message: str


class ErrorBody(BaseModel):
    """A machine-readable code, a sentence, and field details for validation errors."""

    code: str
    message: str
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorOut(BaseModel):
    """Every error under /api/ and /xapi/."""

    error: ErrorBody


class TokenOut(BaseModel):
    """POST /oauth/token's answer (RFC 6749 §5.1)."""

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    scope: str


class OAuthErrorOut(BaseModel):
    """Every error under /oauth/ (RFC 6749 §5.2)."""

    error: str
    error_description: str | None = None


class InputError(ValueError):
    """Input that passed the schema but not the data: which fields, and why."""

    def __init__(self, field: str, message: str, status: int = 422) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message, self.status = field, message, status
