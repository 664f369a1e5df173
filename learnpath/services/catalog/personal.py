"""A personal (depth-5) program's segment rules in the studio: list, add, change, remove, reorder.

A rule is checked by the same pydantic model as a program file (schema.RuleIn) and stored by the
same code as an import (programs.rule_rows, replace_rules), so a rule the studio saves exports
and re-imports unchanged. Rules are addressed by position: order matters (a later rule wins for
the same module), and the draft's revision guards against two authors editing the list at once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from learnpath.models import (
    Competency,
    Module,
    Program,
    ProgramModule,
    SegmentRule,
    SegmentRuleModule,
)
from learnpath.models.base import pk
from learnpath.services.catalog import composition
from learnpath.services.catalog.authoring import Invalid
from learnpath.services.catalog.drafts import editable
from learnpath.services.catalog.exporter import rule_data
from learnpath.services.catalog.ordering import reordered, shift
from learnpath.services.catalog.programs import replace_rules, rule_rows
from learnpath.services.catalog.schema import RuleIn
from learnpath.vocabulary import LEVELS

CONDITION_WORDS = {
    "role": "role",
    "department": "department",
    "interests": "interested in",
    "decision_speed": "decision speed",
    "tempo": "tempo",
    "behaviour": "behaviour",
}


@dataclass(frozen=True)
class RuleView:
    """A stored rule as the studio lists it: its place, file form, modules and a sentence."""

    position: int
    data: dict[str, Any]
    modules: list[Module]
    sentence: str


def describe(when: dict[str, Any]) -> str:
    """A condition in words: 'role team-lead or lead · below proficient in project-management'."""
    parts = [
        f"{CONDITION_WORDS[key]} {' or '.join(when[key])}"
        for key in CONDITION_WORDS
        if when.get(key)
    ]
    for key, words in (("below", "below"), ("at_least", "at least")):
        parts += [f"{words} {level} in {comp}" for comp, level in when.get(key, {}).items()]
    return " · ".join(parts) or "everyone"


def module_choices(session: Session, program: Program) -> dict[str, list[tuple[str, str]]]:
    """Every module a rule may name as (id, title), those in the program's pool first."""
    pooled = select(ProgramModule.module_id).where(ProgramModule.program_id == program.id)
    rows = session.connection().execute(
        select(Module.slug, Module.title, col(Module.id).in_(pooled))
        .where(Module.owner == "")  # department-only modules belong to their deep program
        .order_by(col(Module.title))
    )
    groups: dict[str, list[tuple[str, str]]] = {"In the pool": [], "Other modules": []}
    for slug, title, in_pool in rows:
        groups["In the pool" if in_pool else "Other modules"].append((slug, title))
    return groups


def competency_choices(session: Session) -> list[tuple[str, str]]:
    """Every competency as (id, name), by name: the level conditions a rule may name."""
    rows = session.exec(select(Competency.slug, Competency.name).order_by(col(Competency.name)))
    return list(rows.all())


def rules(session: Session, program: Program) -> list[RuleView]:
    """The program's rules in order."""
    rows = session.exec(
        select(SegmentRule)
        .where(SegmentRule.program_id == program.id)
        .order_by(col(SegmentRule.position))
    ).all()
    links = session.exec(
        select(SegmentRuleModule.rule_id, Module)
        .join(Module, col(Module.id) == SegmentRuleModule.module_id)
        .where(col(SegmentRuleModule.rule_id).in_([pk(r) for r in rows]))
        .order_by(col(Module.slug))
    ).all()
    acted: dict[int, list[Module]] = {}
    for rule_id, module in links:
        acted.setdefault(rule_id, []).append(module)
    views = []
    for i, row in enumerate(rows):
        modules = acted.get(pk(row), [])
        data = rule_data(row, [m.slug for m in modules])
        views.append(RuleView(i, data, modules, describe(row.conditions)))
    return views


def _field(loc: tuple[Any, ...]) -> str:
    """The form field an error belongs to: a condition's own field, else the rule's."""
    if loc and loc[0] == "when" and len(loc) > 1:
        return str(loc[1])
    return str(loc[0]) if loc else "name"


def parse_rule(session: Session, data: dict[str, Any]) -> RuleIn:
    """The rule as a file would hold it, or Invalid naming each bad field (nothing is saved)."""
    try:
        rule = RuleIn.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for err in exc.errors():
            message = err["msg"].removeprefix("Value error, ")
            errors.setdefault(_field(err["loc"]), []).append(message)
        raise Invalid(errors) from exc
    errors = _unknown_references(session, rule)
    if errors:
        raise Invalid(errors)
    return rule


def _unknown_references(session: Session, rule: RuleIn) -> dict[str, list[str]]:
    """Modules and competencies the rule names that the catalog lacks, by field."""
    errors: dict[str, list[str]] = {}
    known = dict(
        session.exec(
            select(Module.slug, Module.owner).where(col(Module.slug).in_(rule.modules))
        ).all()
    )
    for slug in rule.modules:
        if slug not in known:
            errors.setdefault("modules", []).append(f"unknown module '{slug}'")
        elif known[slug]:
            message = f"'{slug}' is department-only ({known[slug]}): only that program line uses it"
            errors.setdefault("modules", []).append(message)
    named = {*rule.when.below, *rule.when.at_least}
    competencies = set(
        session.exec(select(Competency.slug).where(col(Competency.slug).in_(named))).all()
    )
    for key, levels in (("below", rule.when.below), ("at_least", rule.when.at_least)):
        for slug in levels:
            if slug not in competencies:
                errors.setdefault(key, []).append(f"unknown competency '{slug}'")
    return errors


def _stored(session: Session, program: Program) -> list[tuple[SegmentRule, list[int]]]:
    """The program's rules as unsaved copies with their module ids, to be written back."""
    out = []
    for view in rules(session, program):
        ids = {m.slug: pk(m) for m in view.modules}
        out.append(rule_rows(RuleIn.model_validate(view.data), ids))
    return out


def _change(
    session: Session,
    program: Program,
    user: str,
    revision: int | None,
    edit: Callable[[list[tuple[SegmentRule, list[int]]]], object],
) -> None:
    """Apply `edit` to the list of (row, module ids) and write the list back, if allowed."""
    if not program.is_personal:
        raise Invalid.one("then", "segment rules belong to personal (depth 5) programs")
    editable(program, revision, user)
    current = _stored(session, program)
    edit(current)
    replace_rules(session, program, current)
    session.add(program)
    session.flush()


def _module_ids(session: Session, rule: RuleIn) -> dict[str, int]:
    rows = session.exec(select(Module.slug, Module.id).where(col(Module.slug).in_(rule.modules)))
    return {slug: int(i) for slug, i in rows.all() if i is not None}


def _at(rows: list[Any], position: int) -> int:
    if not 0 <= position < len(rows):
        raise Invalid.one("rule", f"there is no rule {position + 1}: reload the page")
    return position


def add_rule(
    session: Session, program: Program, user: str, revision: int | None, data: dict[str, Any]
) -> int:
    """Append a rule to the draft; its position."""
    rule = parse_rule(session, data)
    row = rule_rows(rule, _module_ids(session, rule))
    _change(session, program, user, revision, lambda rows: rows.append(row))
    return len(rules(session, program)) - 1


def update_rule(
    session: Session,
    program: Program,
    user: str,
    revision: int | None,
    position: int,
    data: dict[str, Any],
) -> None:
    """Replace the rule at `position` with `data`."""
    rule = parse_rule(session, data)
    row = rule_rows(rule, _module_ids(session, rule))

    def edit(rows: list[Any]) -> None:
        rows[_at(rows, position)] = row

    _change(session, program, user, revision, edit)


def remove_rule(
    session: Session, program: Program, user: str, revision: int | None, position: int
) -> None:
    """Delete the rule at `position`; the rules after it move up."""
    _change(session, program, user, revision, lambda rows: rows.pop(_at(rows, position)))


def move_rule(
    session: Session, program: Program, user: str, revision: int | None, position: int, step: int
) -> None:
    """Move a rule one place earlier (-1) or later (+1): a later rule wins for a module."""

    def edit(rows: list[Any]) -> None:
        rows[:] = shift(rows, _at(rows, position), step, "rule", "rule")

    _change(session, program, user, revision, edit)


def reorder_rules(
    session: Session, program: Program, user: str, revision: int | None, positions: list[int]
) -> None:
    """Put the rules in the order `positions` lists their places (a drag)."""

    def edit(rows: list[Any]) -> None:
        ordered = reordered(list(enumerate(rows)), positions, lambda r: r[0], "rule")
        rows[:] = [row for _, row in ordered]

    _change(session, program, user, revision, edit)


def _verdict(when: dict[str, Any], role: str) -> str:
    """Whether a condition holds for every learner of the role ('sure'), none ('never') or some."""
    roles = [r.casefold() for r in when.get("role", [])]
    if roles and role.casefold() not in roles:
        return "never"
    return "sure" if set(when) <= {"role"} else "some"


def _surely_out(views: list[RuleView], module: Module, role: str) -> RuleView | None:
    """The rule that leaves the module out for every learner of the role, if one does."""
    excluded: RuleView | None = None
    for view in views:
        if module.slug not in view.data.get("modules", ()) or view.data["then"] == "optional":
            continue
        verdict = _verdict(view.data["when"], role)
        if verdict == "never":
            continue
        if view.data["then"] == "exclude":
            excluded = view if verdict == "sure" else excluded
        elif verdict == "sure" or excluded is not None:
            excluded = None  # back in, for all or for some of them
    return excluded


def blocked_targets(
    session: Session, program: Program, entries: list[composition.Entry] | None = None
) -> list[str]:
    """Role targets whose only pool modules that reach them a rule excludes for that role.

    (A target no pool module reaches at all is publishing's own check.) Only rules that hold
    for every learner of the role count as excluding; a later rule that may bring the module
    back for some of them means the target can be reached.
    """
    if not program.is_personal:
        return []
    views = rules(session, program)
    listed = composition.entries(session, program) if entries is None else entries
    pool = [e.module for e in listed]
    out = []
    for target, competency in composition.targets(session, program):
        if not target.role:
            continue
        reaching = [
            m
            for m in pool
            if m.competency_id == competency.id
            and LEVELS.index(m.level) >= LEVELS.index(target.level)
        ]
        blockers = [_surely_out(views, m, target.role) for m in reaching]
        if reaching and all(blockers):
            names = ", ".join(f"“{m.title}”" for m in reaching)
            by = ", ".join(dict.fromkeys(f"“{b.data['name']}”" for b in blockers if b))
            out.append(
                f"targets: role '{target.role}' aims at {target.level} in “{competency.name}”, "
                f"but rule {by} excludes for that role every pool module that builds it ({names})"
            )
    return out
