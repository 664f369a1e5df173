"""People: login accounts with roles, learner profiles, enrollments."""

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from learnpath.models.base import created_field, json_field


class User(SQLModel, table=True):
    """A login account; the password is stored only as a salted hash."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, max_length=254)
    name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    active: bool = True
    learner_id: int | None = Field(default=None, foreign_key="learner.id", unique=True)
    created_at: datetime = created_field()
    last_login_at: datetime | None = None
    # Raised by a password change or deactivation: session cookies made before stop working.
    session_version: int = 0

    # Flask-Login's user protocol, written out so this module needs no Flask import.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What the session cookie holds: the id and the session version ("12:0")."""
        return f"{self.id}:{self.session_version}"


class UserRole(SQLModel, table=True):
    """A role held by a user: learner, author, facilitator or admin."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    role: str = Field(primary_key=True, max_length=16)


class Learner(SQLModel, table=True):
    """A learner's profile, keyed by the HR system's external (employee) id."""

    __table_args__ = (Index("ix_learner_updated", "updated_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(unique=True, max_length=80)
    email: str = Field(max_length=254, index=True)
    name: str = Field(max_length=200)
    role: str = Field(default="", max_length=80)
    department: str = Field(default="", max_length=120)
    manager_id: int | None = Field(default=None, foreign_key="learner.id", index=True)
    # The HR id of a manager who has not arrived yet; resolved into manager_id when they do.
    pending_manager_external_id: str | None = Field(default=None, max_length=80)
    interests: list[str] = json_field()
    preferred_formats: list[str] = json_field()
    locale: str = Field(default="en", max_length=16)
    pace_minutes_per_week: int = 120
    active: bool = True
    onboarded_at: datetime | None = None
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class Enrollment(SQLModel, table=True):
    """A learner assigned to a program version; one per learner and program."""

    __table_args__ = (
        UniqueConstraint("learner_id", "program_id"),
        Index("ix_enrollment_updated", "updated_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    status: str = Field(default="assigned", max_length=16)
    source: str = Field(default="admin", max_length=16)
    assigned_at: datetime = created_field()
    due_at: datetime | None = None
    started_at: datetime | None = None
    last_activity_at: datetime | None = None
    completed_at: datetime | None = None
    updated_at: datetime = created_field()


class Department(SQLModel, table=True):
    """A department admins manage; learners and audiences keep its name as a string in step.

    Learner.department, a department program's audience_name and segment-rule conditions stay
    strings (the HR API, content files and the planner read them so); renaming or merging a
    department rewrites every one of them (services/accounts/departments.py, PLACES).
    """

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=120)
    created_at: datetime = created_field()


class Invite(SQLModel, table=True):
    """A one-time set-password link for a user; only the token's SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_by: str = Field(default="", max_length=200)
    created_at: datetime = created_field()
    expires_at: datetime
    used_at: datetime | None = None
