"""The /api/v1 endpoints of docs/api.md: programs, learners, enrollments, progress, OpenAPI."""

from __future__ import annotations

import re

from flask import Blueprint, Response, jsonify, request, url_for

from learnpath.api import openapi
from learnpath.api.errors import ApiError, from_input_error, invalid, parse_body
from learnpath.api.oauth import has_scope, require_scope
from learnpath.api.paging import json_response, page_response, read_window
from learnpath.db import get_session
from learnpath.models import Enrollment
from learnpath.services.integration import enrollments as api_enrollments
from learnpath.services.integration import learners as api_learners
from learnpath.services.integration import schemas as out
from learnpath.services.integration.ids import pattern, row_id
from learnpath.services.integration.schemas import EXTERNAL_ID, InputError
from learnpath.vocabulary import ENROLLMENT_STATUSES

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
def show_openapi() -> Response:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(openapi.document())


@bp.get("/programs")
@require_scope("enrollments:read", "enrollments:write")
def list_programs() -> Response:
    """The catalog's program versions."""
    window = read_window()
    data, cursor = api_enrollments.programs(get_session(), window)
    return page_response(out.ProgramPage, data, cursor, window)


@bp.put("/learners/<external_id>")
@require_scope("learners:write")
def put_learner(external_id: str) -> Response:
    """Create or update a learner by external id (201 when created)."""
    if not re.fullmatch(EXTERNAL_ID, external_id):
        raise invalid("external_id", f"must match {EXTERNAL_ID}")
    data = parse_body(out.LearnerIn)
    session = get_session()
    try:
        learner, created = api_learners.upsert(session, external_id, data)
    except InputError as exc:
        raise from_input_error(exc) from exc
    session.commit()
    view = api_learners.views(session, [learner])[0]
    return json_response(view, 201 if created else 200)


@bp.get("/learners")
@require_scope("learners:read")
def list_learners() -> Response:
    """Learners, for incremental sync."""
    window = read_window()
    data, cursor = api_learners.page(get_session(), window)
    return page_response(out.LearnerPage, data, cursor, window)


@bp.get("/learners/<external_id>")
@require_scope("learners:read")
def show_learner(external_id: str) -> Response:
    """One learner."""
    session = get_session()
    learner = _learner_or_404(external_id)
    return json_response(api_learners.views(session, [learner])[0])


@bp.get("/learners/<external_id>/progress")
@require_scope("enrollments:read")
def show_progress(external_id: str) -> Response:
    """A learner's enrollment records and levels; their profile only with learners:read too."""
    learner = _learner_or_404(external_id)
    profile = has_scope("learners:read")
    return json_response(api_learners.progress(get_session(), learner, profile=profile))


def _learner_or_404(external_id: str) -> api_learners.Learner:
    learner = api_learners.by_external_id(get_session(), external_id)
    if learner is None:
        raise ApiError(404, f"No learner has external id {external_id!r}.")
    return learner


@bp.post("/enrollments")
@require_scope("enrollments:write")
def assign_program() -> Response:
    """Enroll a learner (201); assigning again answers the existing record (200)."""
    data = parse_body(out.EnrollmentIn)
    session = get_session()
    try:
        enrollment, created = api_enrollments.assign(session, data)
    except InputError as exc:
        raise from_input_error(exc) from exc
    session.commit()
    record = api_enrollments.record(session, enrollment)
    location = url_for("api.show_enrollment", enrollment_id=record.id)
    return json_response(record, 201 if created else 200, Location=location)


@bp.get("/enrollments")
@require_scope("enrollments:read")
def list_enrollments() -> Response:
    """Normalized enrollment records, for incremental sync."""
    filters = _filters()
    window = read_window()
    data, cursor = api_enrollments.page(get_session(), window, filters)
    return page_response(out.EnrollmentPage, data, cursor, window)


def _filters() -> api_enrollments.Filters:
    status, program, learner = (
        request.args.get(name) for name in ("status", "program_id", "learner_external_id")
    )
    if status is not None and status not in ENROLLMENT_STATUSES:
        raise invalid("status", f"must be one of {', '.join(ENROLLMENT_STATUSES)}")
    if program is not None and not re.fullmatch(pattern("program"), program):
        raise invalid("program_id", "must be a program id such as prg_12")
    # An id too large for any row is schema-valid: it filters to nothing (no row has id 0).
    program_id = (row_id("program", program) or 0) if program is not None else None
    if learner is not None and not re.fullmatch(EXTERNAL_ID, learner):
        raise invalid("learner_external_id", f"must match {EXTERNAL_ID}")
    return api_enrollments.Filters(status, program_id, learner)


@bp.get("/enrollments/<enrollment_id>")
@require_scope("enrollments:read")
def show_enrollment(enrollment_id: str) -> Response:
    """One enrollment record."""
    number = row_id("enrollment", enrollment_id)
    enrollment = get_session().get(Enrollment, number) if number else None
    if enrollment is None:
        raise ApiError(404, f"No enrollment has id {enrollment_id!r}.")
    return json_response(api_enrollments.record(get_session(), enrollment))
