"""Catalog tables: competencies, items with versioned IRT parameters, modules."""

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from learnpath.models.base import created_field, json_field, revision_lock, text_field


class Competency(SQLModel, table=True):
    """A skill area with its own ability scale and item bank."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=80)
    name: str = Field(max_length=200)
    description: str = text_field()
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    revision: int = 0  # optimistic lock (revision_lock): every save adds 1
    updated_by: str = Field(default="", max_length=200)  # '' = a file import

    __mapper_args__ = revision_lock()


class CompetencyPrerequisite(SQLModel, table=True):
    """Edge of the competency prerequisite graph: competency requires `requires`."""

    competency_id: int = Field(foreign_key="competency.id", primary_key=True)
    requires_id: int = Field(foreign_key="competency.id", primary_key=True)


class Item(SQLModel, table=True):
    """A multiple-choice question; options are [{key, text, correct}] in the author's order."""

    __table_args__ = (CheckConstraint("kind IN ('single', 'multiple')", name="item_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=80)
    competency_id: int = Field(foreign_key="competency.id", index=True)
    kind: str = Field(default="single", max_length=16)
    stem: str = text_field()
    options: list[dict[str, Any]] = json_field()
    explanation: str = text_field()
    # `status` is the author's (draft, pretest, active, retired); `active` is what the adaptive
    # engine reads, and is true exactly when the status is 'active'.
    status: str = Field(default="active", max_length=16)
    active: bool = True
    owner: str = Field(default="", max_length=80)  # a deep program's slug: its own; '' = shared
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    revision: int = 0
    updated_by: str = Field(default="", max_length=200)

    __mapper_args__ = revision_lock()


class ItemParameterSet(SQLModel, table=True):
    """One version of a competency's item parameters: expert estimates or a calibration."""

    __table_args__ = (UniqueConstraint("competency_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    competency_id: int = Field(foreign_key="competency.id", index=True)
    version: int = 1
    source: str = Field(default="expert", max_length=16)
    note: str = text_field()
    linked_to_id: int | None = Field(default=None, foreign_key="itemparameterset.id")
    report: dict[str, Any] | None = json_field(None)
    created_at: datetime = created_field()


class ItemParameter(SQLModel, table=True):
    """4PL parameters of one item in one parameter set: P = c + (d - c) / (1 + e^(-a(θ - b)))."""

    __table_args__ = (
        CheckConstraint("a > 0", name="itemparameter_a"),
        CheckConstraint("c >= 0 AND c < d AND d <= 1", name="itemparameter_cd"),
    )

    parameter_set_id: int = Field(foreign_key="itemparameterset.id", primary_key=True)
    item_id: int = Field(foreign_key="item.id", primary_key=True)
    a: float
    b: float
    c: float = 0.0
    d: float = 1.0


class Module(SQLModel, table=True):
    """A unit of study: a Markdown lesson in one format, building one competency to a level."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=80)
    title: str = Field(max_length=200)
    summary: str = text_field()
    body: str = text_field()
    format: str = Field(default="reading", max_length=16)
    minutes: int = 30
    competency_id: int = Field(foreign_key="competency.id", index=True)
    level: str = Field(default="proficient", max_length=16)
    alternative_of_id: int | None = Field(default=None, foreign_key="module.id")
    video_url: str = Field(default="", max_length=500)  # a video module's video
    owner: str = Field(default="", max_length=80)  # a deep program's slug: its own; '' = shared
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    revision: int = 0
    updated_by: str = Field(default="", max_length=200)

    __mapper_args__ = revision_lock()


class ModulePrerequisite(SQLModel, table=True):
    """Edge of the module prerequisite graph: module requires `requires`."""

    module_id: int = Field(foreign_key="module.id", primary_key=True)
    requires_id: int = Field(foreign_key="module.id", primary_key=True)


class ModuleTag(SQLModel, table=True):
    """A topic tag of a module; learners pick interests from these."""

    module_id: int = Field(foreign_key="module.id", primary_key=True)
    tag: str = Field(primary_key=True, max_length=60, index=True)
