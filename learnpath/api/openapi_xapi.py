"""The OpenAPI description of GET /xapi/statements (xAPI 1.0.3 statements resource, read-only)."""

from __future__ import annotations

from typing import Any

REF = "#/components/schemas/{model}"
VERSIONS = ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0"]
VERSION_HEADER = {"schema": {"type": "string", "const": "1.0.3"}, "required": True}

AGENT = {
    "type": "object",
    "required": ["account"],
    "properties": {
        "objectType": {"const": "Agent"},
        "account": {
            "type": "object",
            "required": ["homePage", "name"],
            "properties": {"homePage": {"type": "string"}, "name": {"type": "string"}},
        },
    },
}
ACTIVITY = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "objectType": {"const": "Activity"},
        "id": {"type": "string"},
        "definition": {"type": "object"},
    },
}
VERB = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string"},
        "display": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
TIME = {"type": "string", "format": "date-time"}
STATEMENT = {
    "type": "object",
    "required": ["id", "actor", "verb", "object", "timestamp", "stored", "authority", "version"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "actor": {"$ref": REF.format(model="XapiAgent")},
        "verb": VERB,
        "object": {"$ref": REF.format(model="XapiActivity")},
        "result": {"type": "object"},
        "context": {"type": "object"},
        "timestamp": TIME,
        "stored": TIME,
        "authority": {"$ref": REF.format(model="XapiAgent")},
        "version": {"type": "string"},
    },
}
STATEMENT_RESULT = {
    "type": "object",
    "required": ["statements", "more"],
    "properties": {
        "statements": {"type": "array", "items": {"$ref": REF.format(model="XapiStatement")}},
        "more": {"type": "string", "description": "Relative URL of the next page, or empty"},
    },
}
SCHEMAS = {
    "XapiAgent": AGENT,
    "XapiActivity": ACTIVITY,
    "XapiStatement": STATEMENT,
    "XapiStatementResult": STATEMENT_RESULT,
}


# Any text without NUL (which every request refuses: PostgreSQL cannot hold it).
TEXT = {"type": "string", "pattern": r"^[^\x00]*$"}
AGENT_FILTER = {
    "type": "object",
    "anyOf": [
        {
            "required": ["account"],
            "properties": {
                "account": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"homePage": TEXT, "name": TEXT},
                }
            },
        },
        {
            "required": ["mbox"],
            "properties": {"mbox": {"type": "string", "pattern": r"^mailto:[^\x00]*$"}},
        },
    ],
}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description}


BOOLEAN = {"type": "boolean"}
PARAMETERS = [
    {
        "name": "X-Experience-API-Version",
        "in": "header",
        "required": True,
        "schema": {"type": "string", "enum": VERSIONS},
    },
    _query("statementId", {"type": "string", "format": "uuid"}, "One statement by id"),
    _query("voidedStatementId", {"type": "string", "format": "uuid"}, "None is ever voided"),
    {
        "name": "agent",
        "in": "query",
        "description": "An Agent as JSON: account (name = external id) or mbox",
        "content": {"application/json": {"schema": AGENT_FILTER}},
    },
    _query("verb", TEXT, "A verb IRI"),
    _query("activity", TEXT, "An activity id (urn:learnpath:...)"),
    _query("registration", {"type": "string", "format": "uuid"}, "An enrollment's UUID"),
    _query("related_activities", BOOLEAN, "activity also matches context activities"),
    _query("related_agents", BOOLEAN, "agent also matches the authority"),
    _query("since", TIME, "Stored after this time"),
    _query("until", TIME, "Stored at or before this time"),
    _query("limit", {"type": "integer", "minimum": 0}, "Page size; 0 means the maximum (500)"),
    _query("format", {"type": "string", "enum": ["ids", "exact", "canonical"]}, "Shape"),
    _query("attachments", BOOLEAN, "No statement has attachments"),
    _query("ascending", BOOLEAN, "Oldest first"),
    _query("cursor", {**TEXT, "maxLength": 500}, "Opaque; part of a `more` URL"),
]


def _answer(description: str, schema: dict[str, Any], **headers: Any) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"X-Experience-API-Version": VERSION_HEADER, **headers},
        "content": {"application/json": {"schema": schema}},
    }


def paths(errors: dict[str, str]) -> dict[str, Any]:
    """The /xapi/ paths; `errors` maps status codes to descriptions (docs/api.md shape)."""
    error = {"$ref": REF.format(model="ErrorOut")}
    through = {"schema": TIME, "required": True}
    found = {
        "200": _answer(
            "A StatementResult page, or the one statement asked for by statementId",
            {
                "anyOf": [
                    {"$ref": REF.format(model="XapiStatementResult")},
                    {"$ref": REF.format(model="XapiStatement")},
                ]
            },
            **{"X-Experience-API-Consistent-Through": through},
        ),
        **{code: _answer(text, error) for code, text in errors.items() if code != "422"},
        "404": _answer("No statement has this id", error),
    }
    for code in ("429", "503"):
        found[code]["headers"]["Retry-After"] = {"schema": {"type": "integer"}, "required": True}
    versions = {"type": "array", "items": {"type": "string"}}
    about = {"type": "object", "required": ["version"], "properties": {"version": versions}}
    return {
        "/xapi/about": {
            "get": {
                "summary": "The xAPI versions this LRS speaks (no credentials or version header)",
                "security": [],
                "responses": {"200": _answer("The versions", about)},
            }
        },
        "/xapi/statements": {
            "get": {
                "summary": "Learning records as xAPI 1.0.3 statements",
                # Basic credentials too must belong to a client holding statements:read (OpenAPI
                # 3.1 lets a non-OAuth2 requirement list such roles).
                "security": [{"oauth2": ["statements:read"]}, {"basic": ["statements:read"]}],
                "parameters": PARAMETERS,
                "responses": found,
            }
        },
    }
