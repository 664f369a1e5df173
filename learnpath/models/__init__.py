"""SQLModel tables of the whole product, grouped by subject; import them from here."""

from learnpath.models.api import ApiClient, ApiToken
from learnpath.models.assessment import Attempt, CompetencyLevel, LearnerStat, Response
from learnpath.models.audit import AuditEntry
from learnpath.models.catalog import (
    Competency,
    CompetencyPrerequisite,
    Item,
    ItemParameter,
    ItemParameterSet,
    Module,
    ModulePrerequisite,
    ModuleTag,
)
from learnpath.models.exposure import CompetencyExposure, ItemExposure
from learnpath.models.jobs import Job
from learnpath.models.logins import LoginThrottle, LoginToken
from learnpath.models.people import (
    Department,
    Enrollment,
    Invite,
    Learner,
    User,
    UserRole,
)
from learnpath.models.program import (
    Program,
    ProgramChange,
    ProgramModule,
    ProgramOverlay,
    ProgramSession,
    ProgramTarget,
    SegmentRule,
    SegmentRuleModule,
)
from learnpath.models.progress import Adjustment, ProgressEvent, TrajectoryStep

__all__ = [
    "Adjustment",
    "ApiClient",
    "ApiToken",
    "Attempt",
    "AuditEntry",
    "Competency",
    "CompetencyExposure",
    "CompetencyLevel",
    "CompetencyPrerequisite",
    "Department",
    "Enrollment",
    "Invite",
    "Item",
    "ItemExposure",
    "ItemParameter",
    "ItemParameterSet",
    "Job",
    "Learner",
    "LearnerStat",
    "LoginThrottle",
    "LoginToken",
    "Module",
    "ModulePrerequisite",
    "ModuleTag",
    "Program",
    "ProgramChange",
    "ProgramModule",
    "ProgramOverlay",
    "ProgramSession",
    "ProgramTarget",
    "ProgressEvent",
    "Response",
    "SegmentRule",
    "SegmentRuleModule",
    "TrajectoryStep",
    "User",
    "UserRole",
]
