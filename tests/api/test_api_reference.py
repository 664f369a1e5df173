"""docs/api.md, the served OpenAPI document and the app's API routes name the same operations."""

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "api.md"
HEADING = re.compile(r"^### `(GET|POST|PUT|PATCH|DELETE) (/\S*)`$", re.MULTILINE)
METHODS = {"get", "post", "put", "patch", "delete"}
API_BLUEPRINTS = ("api", "xapi", "oauth")

Operation = tuple[str, str]


def documented() -> set[Operation]:
    """The operations docs/api.md describes: one `### \\`METHOD /path\\`` heading each."""
    found = HEADING.findall(REFERENCE.read_text(encoding="utf-8"))
    assert len(found) == len(set(found)), "an operation is described twice"
    return {(method, path) for method, path in found}


def described(client: FlaskClient) -> set[Operation]:
    """The operations of the OpenAPI document the app serves."""
    paths = client.get("/api/v1/openapi.json").json["paths"]
    return {(m.upper(), path) for path, item in paths.items() for m in item if m in METHODS}


def served(app: Flask) -> set[Operation]:
    """The routes of the API blueprints, with path parameters written as OpenAPI writes them."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in API_BLUEPRINTS:
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            found |= {(m, path) for m in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    return found


def test_the_reference_and_the_openapi_document_name_the_same_operations(
    client: FlaskClient,
) -> None:
    in_docs, in_openapi = documented(), described(client)
    assert in_docs - in_openapi == set(), "in docs/api.md, missing from the OpenAPI document"
    assert in_openapi - in_docs == set(), "in the OpenAPI document, missing from docs/api.md"


def test_the_openapi_document_names_every_route_the_api_serves(
    app: Flask, client: FlaskClient
) -> None:
    routes, in_openapi = served(app), described(client)
    assert ("PUT", "/api/v1/learners/{external_id}") in routes  # the parameter syntax converted
    assert routes - in_openapi == set(), "served but not described"
    assert in_openapi - routes == set(), "described but not served"


def test_the_readme_sends_integrators_to_the_reference() -> None:
    readme = (REFERENCE.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "docs/api.md" in readme
    assert "shared/API.md" not in readme
