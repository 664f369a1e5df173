"""The OpenAPI 3.1 document, its schemas generated from the same data models the views use."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from learnpath.api import openapi_xapi
from learnpath.services.integration import schemas as out
from learnpath.services.integration.clients import SCOPES
from learnpath.services.integration.ids import pattern
from learnpath.vocabulary import ENROLLMENT_STATUSES

REF = "#/components/schemas/{model}"
INPUTS = (out.LearnerIn, out.EnrollmentIn)
OUTPUTS: tuple[type[BaseModel], ...] = (out.ProgramPage, out.LearnerPage, out.EnrollmentPage)
OUTPUTS += (out.LearnerOut, out.EnrollmentRecord, out.ProgressOut, out.ErrorOut, out.TokenOut)
OUTPUTS += (out.OAuthErrorOut,)
ERRORS = {
    "400": "Malformed request",
    "401": "Missing, bad or expired credentials",
    "403": "The token lacks the scope",
    "422": "Invalid input: field details",
    "429": "Too many requests: see Retry-After",
    "503": "The database cannot be reached (e.g. restarting): nothing was written; see Retry-After",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "required": True}}
LIST_PARAMS = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
    {
        "name": "cursor",
        "in": "query",
        "description": "Opaque and signed: pass back a next_cursor; any other is 400",
        "schema": {**openapi_xapi.TEXT, "maxLength": 500},
    },
    {"name": "updated_since", "in": "query", "schema": {"type": "string", "format": "date-time"}},
]


def _ref(model: type) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _json(model: type, description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": _ref(model)}},
    }
    if headers:
        found["headers"] = headers
    return found


EXTRA = {
    "404": "Not found",
    "409": "Conflict",
    "415": "The body is not sent as application/json",
}


def _errors(*extra: str) -> dict[str, Any]:
    codes = {**ERRORS, **{code: EXTRA[code] for code in extra}}
    found = {code: _json(out.ErrorOut, text) for code, text in codes.items()}
    for code in ("429", "503"):
        found[code]["headers"] = dict(RETRY_AFTER)
    return found


def _operation(
    summary: str, scopes: list[str], ok: dict[str, Any], *extra: str, **parts: Any
) -> dict[str, Any]:
    return {
        "summary": summary,
        "security": [{"oauth2": scopes}],
        "responses": {**ok, **_errors(*extra)},
        **parts,
    }


def _listing(summary: str, scope: list[str], model: type, more: list[Any]) -> dict[str, Any]:
    headers = {
        "X-Consistent-Through": {
            "description": "Watermark: pass it as updated_since next time",
            "schema": {"type": "string", "format": "date-time"},
            "required": True,
        },
        "Link": {"description": 'rel="next" page, a relative URL', "schema": {"type": "string"}},
    }
    return _operation(
        summary, scope, {"200": _json(model, "A page", headers)}, parameters=LIST_PARAMS + more
    )


def _path(name: str, regex: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": regex},
    }


def _paths() -> dict[str, Any]:
    learner = _path("external_id", out.EXTERNAL_ID)
    write = {"required": True, "content": {"application/json": {"schema": _ref(out.LearnerIn)}}}
    assign = {"required": True, "content": {"application/json": {"schema": _ref(out.EnrollmentIn)}}}
    statuses = list(ENROLLMENT_STATUSES)
    filters = [
        {"name": "status", "in": "query", "schema": {"type": "string", "enum": statuses}},
        {
            "name": "program_id",
            "in": "query",
            "schema": {"type": "string", "pattern": pattern("program")},
        },
        {
            "name": "learner_external_id",
            "in": "query",
            "schema": {"type": "string", "pattern": out.EXTERNAL_ID},
        },
    ]
    catalog = ["enrollments:read", "enrollments:write"]
    itself = {"application/json": {"schema": {"type": "object"}}}
    return {
        "/api/v1/openapi.json": {
            "get": {
                "summary": "This document (no credentials needed)",
                "security": [],
                "responses": {"200": {"description": "OpenAPI 3.1", "content": itself}},
            }
        },
        "/api/v1/programs": {"get": _listing("The program catalog", catalog, out.ProgramPage, [])},
        "/api/v1/learners": {
            "get": _listing(
                "Learners, for incremental sync", ["learners:read"], out.LearnerPage, []
            )
        },
        "/api/v1/learners/{external_id}": {
            "parameters": [learner],
            "get": _operation(
                "One learner",
                ["learners:read"],
                {"200": _json(out.LearnerOut, "The learner")},
                "404",
            ),
            "put": _operation(
                "Create or update a learner (deactivating keeps records)",
                ["learners:write"],
                {"200": _json(out.LearnerOut, "Updated"), "201": _json(out.LearnerOut, "Created")},
                "404",
                "409",
                "415",
                requestBody=write,
            ),
        },
        "/api/v1/learners/{external_id}/progress": {
            "parameters": [learner],
            "get": _operation(
                "A learner's enrollments and levels (their profile only with learners:read too)",
                ["enrollments:read"],
                {"200": _json(out.ProgressOut, "Progress; learner is a LearnerRef without it")},
                "404",
            ),
        },
        "/api/v1/enrollments": {
            "get": _listing(
                "Enrollment records, for incremental sync",
                ["enrollments:read"],
                out.EnrollmentPage,
                filters,
            ),
            "post": _operation(
                "Assign a program (idempotent)",
                ["enrollments:write"],
                {
                    "200": _json(out.EnrollmentRecord, "Already assigned"),
                    "201": _json(out.EnrollmentRecord, "Assigned"),
                },
                "404",
                "409",
                "415",
                requestBody=assign,
            ),
        },
        "/api/v1/enrollments/{enrollment_id}": {
            "parameters": [_path("enrollment_id", pattern("enrollment"))],
            "get": _operation(
                "One enrollment record",
                ["enrollments:read"],
                {"200": _json(out.EnrollmentRecord, "The record")},
                "404",
            ),
        },
    }


def _token_path() -> dict[str, Any]:
    form = {
        "type": "object",
        "required": ["grant_type"],
        "properties": {
            "grant_type": {"type": "string", "enum": ["client_credentials"]},
            "client_id": {"type": "string", "description": "Unless sent as HTTP Basic"},
            "client_secret": {"type": "string", "description": "Unless sent as HTTP Basic"},
            "scope": {"type": "string", "description": "Space-separated; default: all held"},
        },
    }
    oauth_errors = {
        "400": "invalid_request, invalid_scope, unsupported_grant_type, unauthorized_client",
        "401": "invalid_client: unknown client or wrong secret",
        "429": "Too many token requests from this address: see Retry-After",
        "503": "temporarily_unavailable: the database cannot be reached; see Retry-After",
    }
    responses = {"200": _json(out.TokenOut, "A bearer token")}
    responses |= {code: _json(out.OAuthErrorOut, text) for code, text in oauth_errors.items()}
    for code in ("429", "503"):
        responses[code]["headers"] = dict(RETRY_AFTER)
    body = {"application/x-www-form-urlencoded": {"schema": form}}
    return {
        "post": {
            "summary": "A bearer token for client credentials (RFC 6749 §4.4)",
            "security": [{"basic": []}, {}],  # or client_id and client_secret in the form
            "requestBody": {"required": True, "content": body},
            "responses": responses,
        }
    }


@cache
def document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document (built once per process)."""
    _, top = models_json_schema(
        [(m, "validation") for m in INPUTS] + [(m, "serialization") for m in OUTPUTS],
        ref_template=REF,
    )
    flow = {"tokenUrl": "/oauth/token", "scopes": {s: s.replace(":", " ") for s in SCOPES}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "learnpath integration API",
            "version": "1.0.0",
            "description": "HR integration: learners, enrollments, progress, xAPI (docs/api.md).",
        },
        "paths": {
            **_paths(),
            "/oauth/token": _token_path(),
            **openapi_xapi.paths(ERRORS),
        },
        "components": {
            "schemas": {**top["$defs"], **openapi_xapi.SCHEMAS},
            "securitySchemes": {
                "oauth2": {"type": "oauth2", "flows": {"clientCredentials": flow}},
                "basic": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "Client id and secret: at the token endpoint and for xAPI",
                },
            },
        },
    }
