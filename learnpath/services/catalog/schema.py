"""Data models of the catalog files (see content/FORMAT.md); they validate every field."""

import datetime as dt
import re
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from learnpath.planning import Bands, PlanningError, RuleAction
from learnpath.planning.inputs import MODULE_ACTIONS, Behaviour, SpeedBand
from learnpath.services.catalog import media_paths as media
from learnpath.vocabulary import (
    DEPTH_RANGE,
    LEVELS,
    AudienceKind,
    Depth,
    Level,
    ModuleFormat,
    ProgramStatus,
)

Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", min_length=1, max_length=80)
]
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
RoleName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Department = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
ItemStatus = Literal["draft", "pretest", "active", "retired"]
URL_PATTERN = r"^https?://[^\s<>\"']+$"
URL = re.compile(URL_PATTERN)
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=500)]


class Strict(BaseModel):
    """Unknown fields are errors: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class CompetencyIn(Strict):
    id: Slug
    name: Name
    description: str = ""
    requires: list[Slug] = []


class CompetenciesFile(Strict):
    competencies: list[CompetencyIn] = Field(min_length=1)


class OptionIn(Strict):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    correct: bool = False


class ItemIn(Strict):
    id: Slug
    type: Literal["single", "multiple"] = "single"
    stem: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    options: list[OptionIn] = Field(min_length=2, max_length=6)
    explanation: str = ""
    status: ItemStatus = "active"  # only active items are given in quizzes
    owner: Slug | None = None  # a deep program's id: given only in that program line's placement
    a: float = Field(ge=0.2, le=4.0)
    b: float = Field(ge=-4.0, le=4.0)
    c: float = Field(default=0.0, ge=0.0, le=0.5)
    d: float = Field(default=1.0, ge=0.5, le=1.0)

    @model_validator(mode="after")
    def _check_key(self) -> Self:
        n = sum(o.correct for o in self.options)
        if self.type == "single" and n != 1:
            raise ValueError(f"a single-answer item needs exactly one correct option, has {n}")
        if self.type == "multiple" and not 2 <= n < len(self.options):
            raise ValueError(
                f"a multiple-answer item needs 2 to {len(self.options) - 1} correct options"
            )
        if self.c >= self.d:
            raise ValueError(f"c ({self.c}) must be below d ({self.d})")
        if len({o.text for o in self.options}) != len(self.options):
            raise ValueError("two options have the same text")
        return self


class ParametersIn(Strict):
    source: Literal["expert"] = "expert"
    note: str = "Author's estimates, not yet calibrated."


class ItemsFile(Strict):
    competency: Slug
    parameters: ParametersIn = ParametersIn()
    items: list[ItemIn] = Field(min_length=1)


class ModuleIn(Strict):
    id: Slug
    title: Name
    summary: str = ""
    competency: Slug
    level: Level
    format: ModuleFormat
    minutes: int = Field(ge=1, le=2400)
    requires: list[Slug] = []
    tags: list[Tag] = []
    alternative_of: Slug | None = None
    video: Annotated[str, StringConstraints(max_length=300)] | None = None  # URL or media/ file
    captions: Annotated[str, StringConstraints(max_length=190)] | None = None  # media/ .vtt file
    owner: Slug | None = None  # a deep program's id: the module is that program line's own

    @field_validator("video")
    @classmethod
    def _video_source(cls, value: str | None) -> str | None:
        if value is None or media.is_url(value):
            if value is not None and not URL.match(value):
                raise ValueError(f"'{value}' is not a web address (http or https)")
            return value
        problem = media.path_error(value, media.VIDEO_TYPES)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("captions")
    @classmethod
    def _captions_file(cls, value: str | None) -> str | None:
        problem = media.path_error(value, media.CAPTION_TYPES) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _video_for_video_format(self) -> Self:
        if self.video and self.format != "video":
            raise ValueError("only a module of format 'video' has a 'video'")
        if self.captions and not (self.video and not media.is_url(self.video)):
            raise ValueError("'captions' go with a video file under media/ ('video: media/...')")
        return self


DEEP_AUDIENCE: AudienceKind = "department"
"""A deep program's audience: one department or group, named."""


class AudienceIn(Strict):
    kind: AudienceKind = "anyone"
    name: str | None = None

    @model_validator(mode="after")
    def _named(self) -> Self:
        if self.kind != "anyone" and not self.name:
            raise ValueError(f"an audience of kind '{self.kind}' needs a name")
        return self


class ModuleRef(Strict):
    module: Slug
    mandatory: bool | None = None


class ReviewIn(Strict):
    """Per quiz kind, whether learners see their answers reviewed after the quiz."""

    placement: bool = False
    check: bool = True
    checkpoint: bool = True


class PlacementIn(Strict):
    se_target: float = Field(default=0.3, gt=0.05, le=1.0)
    max_items: int = Field(default=30, ge=1, le=200)
    min_items: int = Field(default=3, ge=1, le=200)
    competencies: list[Slug] = []  # which it measures; [] = every competency the modules build
    # priced: exposure prices under a 0.25 ceiling counted across learners (quiz_rules.py)
    exposure: Literal["priced", "randomesque", "maxinfo"] = "priced"
    review: ReviewIn | None = None  # None: the defaults (learnpath/services/learning/review.py)
    # Share of questions that may be unscored pretest items (one per round(1 / share)); None:
    # the default (learnpath/services/learning/pretest.py), 0: none.
    pretest_share: float | None = Field(default=None, ge=0.0, le=0.5)
    # Confidence that settles a placement decision and waives a module (Tested Out): both ask
    # P(θ ≥ the level's lower bound) ≥ it. None: the default (placement_cuts.DECISION_CONFIDENCE).
    waiver_confidence: float | None = Field(default=None, ge=0.6, le=0.99)

    @model_validator(mode="after")
    def _min_below_max(self) -> Self:
        if self.min_items > self.max_items:
            raise ValueError(f"min_items ({self.min_items}) exceeds max_items ({self.max_items})")
        return self


class ParentIn(Strict):
    id: Slug
    version: int = Field(ge=1)


class OverlayIn(Strict):
    kind: Literal["note", "example", "schedule", "wording"]
    module: Slug | None = None
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


Clock = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class SessionIn(Strict):
    """A live session: day, local start time ("14:00", quoted in YAML), length, place or URL."""

    title: Name
    date: dt.date
    time: Clock
    minutes: int = Field(default=60, ge=5, le=720)
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    url: Url | None = None
    module: Slug | None = None

    @field_validator("time", mode="before")
    @classmethod
    def _quoted(cls, value: Any) -> Any:
        if isinstance(value, int):  # YAML 1.1 reads an unquoted 14:00 as the number 840
            raise ValueError('write the time in quotes, e.g. "14:00"')
        return value

    @model_validator(mode="after")
    def _somewhere(self) -> Self:
        if not self.place and not self.url:
            raise ValueError("a session needs a place or a URL")
        return self


class ChangeIn(Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    op: Literal["select", "swap", "add", "move", "remove"]
    module: Slug | None = None
    with_: Slug | None = Field(default=None, alias="with")
    after: Slug | None = None
    modules: list[Slug] = []

    @model_validator(mode="after")
    def _fields_for_op(self) -> Self:
        needs = {"select": ("modules",), "swap": ("module", "with_"), "move": ("module", "after")}
        for name in needs.get(self.op, ("module",)):
            if name not in self.model_fields_set:
                raise ValueError(f"'{self.op}' needs '{name.rstrip('_')}'")
        return self


class TargetIn(Strict):
    competency: Slug
    default: Level
    roles: dict[str, Level] = {}


class ConditionIn(Strict):
    """Who a rule is for: every field given must hold, each by any one of its values."""

    role: list[RoleName] = []
    department: list[Department] = []
    interests: list[Tag] = []
    below: dict[Slug, Level] = {}
    at_least: dict[Slug, Level] = {}
    decision_speed: list[SpeedBand] = []
    tempo: list[SpeedBand] = []
    behaviour: list[Behaviour] = []


class RuleIn(Strict):
    """A segment rule: include/exclude/mandatory/optional on modules, or a format or pace."""

    name: Name
    when: ConditionIn
    then: RuleAction
    modules: list[Slug] = Field(default=[], validate_default=True)
    format: ModuleFormat | None = Field(default=None, validate_default=True)
    minutes_per_week: int | None = Field(default=None, ge=1, le=10080, validate_default=True)

    @field_validator("modules", "format", "minutes_per_week")
    @classmethod
    def _fits_action(cls, value: object, info: ValidationInfo) -> object:
        then = info.data.get("then")
        wanted = {"modules": then in MODULE_ACTIONS, "format": then == "prefer_format"}
        needed = wanted.get(str(info.field_name), then == "pace")
        if then is None or needed == bool(value):
            return value
        if needed:
            return _missing(str(info.field_name), str(then))
        raise ValueError(f"'{then}' takes no {str(info.field_name).replace('_', ' ')}")


def _missing(field: str, then: str) -> object:
    what = {"modules": "at least one module", "format": "a format"}.get(field, "minutes per week")
    raise ValueError(f"'{then}' needs {what}")


class ProgramIn(Strict):
    id: Slug
    version: int = Field(default=1, ge=1)
    title: Name
    summary: str = ""
    depth: int = Field(ge=DEPTH_RANGE[0], le=DEPTH_RANGE[1])
    status: ProgramStatus = "draft"
    audience: AudienceIn = AudienceIn()
    format: Literal["online", "blended", "in-person"] = "online"
    instructors: list[Name] = []
    placement: PlacementIn | None = None
    checkpoints: Literal["offered", "none"] = "offered"
    level_bands: dict[Level, float] | None = None
    parent: ParentIn | None = None
    modules: list[Slug | ModuleRef] = []
    overlays: list[OverlayIn] = []
    sessions: list[SessionIn] = []
    changes: list[ChangeIn] = []
    targets: list[TargetIn] = []
    rules: list[RuleIn] = []

    @property
    def depth_kind(self) -> Depth:
        """The depth as the named enum (validated to lie in its range)."""
        return Depth(self.depth)

    @model_validator(mode="after")
    def _fits_depth(self) -> Self:
        kind = self.depth_kind
        derived = kind.is_derived
        if derived and self.parent is None:
            raise ValueError(f"a depth-{self.depth} program is derived: it needs a 'parent'")
        if not derived and self.parent is not None:
            raise ValueError(f"a depth-{self.depth} program has no parent")
        if derived and self.modules:
            raise ValueError("a derived program lists 'changes' to its parent, not 'modules'")
        if not derived and not self.modules and self.status != "draft":
            # A draft may be empty: the studio starts programs that way (and exports them).
            raise ValueError(f"a depth-{self.depth} program needs 'modules'")
        if kind.keeps_parent_modules and self.changes:
            raise ValueError(
                f"a {kind.label} (depth {kind}) program keeps the parent's modules: no 'changes'"
            )
        if not kind.is_personal and self.rules:
            personal = Depth.PERSONAL
            raise ValueError(f"'rules' belong to {personal.label} (depth {personal}) programs")
        if not kind.is_personal and any(t.roles for t in self.targets):
            personal = Depth.PERSONAL
            raise ValueError(
                f"targets by role belong to {personal.label} (depth {personal}) programs"
            )
        if kind.owns_content and self.audience.kind != DEEP_AUDIENCE:
            raise ValueError(
                f"a {kind.label} (depth {kind}) program is for a department or group: "
                f"audience kind '{DEEP_AUDIENCE}' with its name"
            )
        if self.sessions and not derived:
            raise ValueError("'sessions' belong to derived (depth 2–4) programs")
        if kind.keeps_parent_modules and self.targets:
            raise ValueError(
                f"a {kind.label} (depth {kind}) program keeps the parent's target levels"
            )
        if self.level_bands is not None:
            _check_bands(self.level_bands)
        return self

    def module_refs(self) -> list[ModuleRef]:
        """The module list with string shorthands expanded."""
        return [ModuleRef(module=m) if isinstance(m, str) else m for m in self.modules]


def _check_bands(bands: dict[Level, float]) -> None:
    if LEVELS[0] in bands:
        raise ValueError(f"level_bands: '{LEVELS[0]}' is the lowest band and has no lower bound")
    try:  # the planner's own rule: bounds increase from the lowest band up
        Bands.of({str(k): v for k, v in bands.items()})
    except PlanningError:
        raise ValueError(f"level_bands must increase from {LEVELS[1]} to {LEVELS[-1]}") from None
