"""Learning events as xAPI 1.0.3 statements: verbs, activities, results, registrations.

Statement ids are the events' own UUIDv5 ids (services/learning/events.py), so a statement
never changes its id. Activity ids are URNs that depend on nothing but the catalog
(`urn:learnpath:module:<slug>`, `urn:learnpath:program:<slug>:v<version>`, its `:placement`,
`urn:learnpath:item:<slug>`), and the registration of a statement is its enrollment's UUID:
RFC 4122 version-4 layout (xAPI 1.0.3 clients check it) but not random: a fixed prefix and the
enrollment id, so a registration filter maps straight back to its enrollment.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from learnpath.models import Attempt, Item, Module, Program, ProgressEvent
from learnpath.vocabulary import iso_utc

XAPI_VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
VERB_IRIS = {
    "launched": ADL + "launched",
    "initialized": ADL + "initialized",
    "answered": ADL + "answered",
    "completed": ADL + "completed",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "waived": "https://w3id.org/xapi/adl/verbs/waived",
}
REASON = "https://w3id.org/xapi/cmi5/result/extensions/reason"
ACTIVITY_TYPES = {
    "module": "http://adlnet.gov/expapi/activities/module",
    "program": "http://adlnet.gov/expapi/activities/course",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "item": "http://adlnet.gov/expapi/activities/cmi.interaction",
}
EXT = "urn:learnpath:ext:"
AUTHORITY = "learnpath"  # the account name of the authority of every statement
# Fixed high bits ("lpnr", version 4, RFC 4122 variant), the enrollment id in the low 32.
REGISTRATION_BASE = uuid.UUID("6c706e72-0000-4000-8000-000000000000").int


def registration_of(enrollment_id: int) -> str:
    """The xAPI registration (UUID) of an enrollment."""
    return str(uuid.UUID(int=REGISTRATION_BASE | enrollment_id))


def enrollment_of(registration: str) -> int | None:
    """The enrollment id a registration UUID names, or None if it is not one of ours."""
    try:
        value = uuid.UUID(registration).int
    except ValueError:
        return None
    number = value & 0xFFFFFFFF
    return number if value == REGISTRATION_BASE | number else None


def program_iri(program: Program) -> str:
    """The activity id of a program version."""
    return f"urn:learnpath:program:{program.slug}:v{program.version}"


@dataclass(frozen=True)
class Names:
    """Catalog rows that a page of events refers to, by id."""

    modules: dict[int, Module]
    programs_by_enrollment: dict[int, Program]
    attempts: dict[int, Attempt]
    items: dict[int, Item]
    home_page: str


def statement(event: ProgressEvent, external_id: str, names: Names) -> dict[str, Any]:
    """The xAPI statement of one learning event."""
    program = names.programs_by_enrollment.get(event.enrollment_id or 0)
    found: dict[str, Any] = {
        "id": event.uid,
        "actor": _agent(names.home_page, external_id),
        "verb": {"id": VERB_IRIS[event.verb], "display": {"en-US": event.verb}},
        "object": _object(event, names, program),
        "timestamp": iso_utc(event.occurred_at),
        "stored": iso_utc(event.stored_at),
        "authority": _agent(names.home_page, AUTHORITY),
        "version": XAPI_VERSION,
    }
    result = _result(event)
    if result:
        found["result"] = result
    context = _context(event, names, program)
    if context:
        found["context"] = context
    return found


def ids_only(statement: dict[str, Any]) -> dict[str, Any]:
    """A statement with only what identifies its verb and activities (format=ids; agents are)."""
    found = {**statement, "verb": {"id": statement["verb"]["id"]}}
    found["object"] = _activity_id(statement["object"])
    context = statement.get("context", {})
    if "contextActivities" in context:
        activities = context["contextActivities"]
        listed = {kind: [_activity_id(a) for a in acts] for kind, acts in activities.items()}
        found["context"] = {**context, "contextActivities": listed}
    return found


def _activity_id(activity: dict[str, Any]) -> dict[str, Any]:
    return {"objectType": "Activity", "id": activity["id"]}


def _agent(home_page: str, name: str) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": name}}


def _activity(iri: str, kind: str, title: str, **definition: Any) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": iri,
        "definition": {"name": {"en-US": title}, "type": ACTIVITY_TYPES[kind], **definition},
    }


def _object(event: ProgressEvent, names: Names, program: Program | None) -> dict[str, Any]:
    module = names.modules.get(event.module_id or 0)
    if module is not None:
        return _activity(f"urn:learnpath:module:{module.slug}", "module", module.title)
    item = (
        names.items.get(int(event.result.get("item_id", 0))) if event.verb == "answered" else None
    )
    if item is not None:
        return _activity(
            f"urn:learnpath:item:{item.slug}", "item", item.slug, interactionType="choice"
        )
    attempt = names.attempts.get(event.attempt_id or 0)
    if attempt is not None:
        return _assessment(attempt, program)
    if program is not None:
        return _activity(program_iri(program), "program", program.title)
    return _activity("urn:learnpath:unknown", "module", "unknown")


def _assessment(attempt: Attempt, program: Program | None) -> dict[str, Any]:
    if attempt.kind == "placement" and program is not None:
        return _activity(
            program_iri(program) + ":placement", "assessment", f"Placement: {program.title}"
        )
    slugs = "+".join(sorted(attempt.config.get("ids", {})))
    return _activity(
        f"urn:learnpath:assessment:{attempt.kind}:{slugs}", "assessment", f"{attempt.kind} {slugs}"
    )


def _result(event: ProgressEvent) -> dict[str, Any]:
    data, verb = event.result, event.verb
    if verb == "answered":
        return {
            "success": bool(data.get("success")),
            "response": "[,]".join(str(r) for r in data.get("response", [])),
            "duration": _duration(int(data.get("duration_ms", 0)) / 1000),
        }
    if verb == "waived":
        reason = str(data.get("reason") or "Tested Out")
        return {"success": True, "completion": True, "extensions": {REASON: reason}}
    if verb in ("passed", "failed"):
        return {"success": verb == "passed", "completion": True}
    if verb == "completed":
        found: dict[str, Any] = {"completion": True}
        if event.time_spent_s:
            found["duration"] = _duration(event.time_spent_s)
        if "competencies" in data:
            found["extensions"] = {EXT + "competencies": _estimates(data["competencies"])}
        return found
    return {}


def _estimates(competencies: dict[str, Any]) -> dict[str, Any]:
    keep = ("theta", "se", "level", "n_items")
    return {slug: {k: state[k] for k in keep if k in state} for slug, state in competencies.items()}


def _context(event: ProgressEvent, names: Names, program: Program | None) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if event.enrollment_id is not None:
        context["registration"] = registration_of(event.enrollment_id)
    attempt = names.attempts.get(event.attempt_id or 0)
    activities: dict[str, Any] = {}
    if attempt is not None and event.verb == "answered":
        activities["parent"] = [_assessment(attempt, program)]
    if program is not None and (event.module_id or event.attempt_id):
        activities["grouping"] = [_activity(program_iri(program), "program", program.title)]
    if activities:
        context["contextActivities"] = activities
    if attempt is not None:
        context["extensions"] = {EXT + "attempt": attempt.uid}
    return context


def _duration(seconds: float) -> str:
    """ISO 8601 duration in seconds, e.g. PT12.5S."""
    number = f"{max(seconds, 0):.2f}".rstrip("0").rstrip(".")
    return f"PT{number}S"
