"""Properties over random programs: prerequisites, exclusions, mandatory modules, determinism."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import cast

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from learnpath.planning import (
    Adjustment,
    AdjustmentKind,
    Completion,
    Condition,
    Learner,
    LevelEstimate,
    ModuleInfo,
    Plan,
    PlanInput,
    PoolEntry,
    Program,
    Rule,
    Target,
    plan,
    validate_adjustment,
)
from learnpath.vocabulary import LEVELS

COMPS = ("a", "b", "c")
ROLES = ("lead", "analyst")
START = date(2026, 3, 2)
END = START + timedelta(days=120)
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def catalogs(draw: st.DrawFn) -> list[ModuleInfo]:
    """Modules m0…mn; prerequisites point backwards; an alternative copies its original."""
    modules: list[ModuleInfo] = []
    for i in range(draw(st.integers(1, 12))):
        roots = [m for m in modules if m.alternative_of is None]
        if roots and draw(st.integers(0, 4)) == 0:
            root = draw(st.sampled_from(roots))
            modules.append(replace(root, id=f"m{i}", format="video", alternative_of=root.id))
            continue
        reqs = draw(st.lists(st.sampled_from(roots), max_size=3, unique=True)) if roots else []
        modules.append(
            ModuleInfo(
                f"m{i}",
                draw(st.sampled_from(COMPS)),
                draw(st.sampled_from(LEVELS)),
                draw(st.integers(0, 90)),
                prerequisites=tuple(m.id for m in reqs),
                tags=tuple(draw(st.lists(st.sampled_from(("x", "y")), max_size=2, unique=True))),
            )
        )
    return modules


@st.composite
def programs(draw: st.DrawFn, modules: list[ModuleInfo], personal: bool = False) -> Program:
    """A program listing a shuffled subset of the catalog, with targets and rules at depth 5.

    `personal`: depth 5, with an exclusion that holds for everyone among the rules.
    """
    ids = [m.id for m in modules]
    listed = draw(st.permutations(ids).map(lambda p: p[: max(1, len(p) - 2)]))
    entries = tuple(PoolEntry(m, draw(st.booleans())) for m in listed)
    depth = 5 if personal else draw(st.integers(1, 5))
    if depth < 5:
        return Program("p", 1, depth, entries)
    level = st.sampled_from(LEVELS)
    targets = tuple(
        Target(c, draw(level), {"lead": draw(level)}) for c in COMPS if draw(st.booleans())
    )
    names = st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True)
    rules = [
        Rule(
            f"r{k}",
            Condition(roles=draw(st.sampled_from(((), ("lead",), ("analyst",))))),
            draw(st.sampled_from(("include", "exclude", "mandatory", "optional"))),
            tuple(draw(names)),
        )
        for k in range(draw(st.integers(0, 3)))
    ]
    if personal:
        everyone = Rule("everyone", Condition(), "exclude", tuple(draw(names)))
        rules.insert(draw(st.integers(0, len(rules))), everyone)
    return Program("p", 1, 5, entries, targets, tuple(rules))


def level_maps() -> st.SearchStrategy[dict[str, LevelEstimate]]:
    """Estimates for some competencies."""
    estimate = st.builds(
        LevelEstimate, st.floats(-3, 3, allow_nan=False), st.floats(0.1, 1.0, allow_nan=False)
    )
    return st.dictionaries(st.sampled_from(COMPS), estimate)


def adjustments(ids: list[str], aims: list[str] | None = None) -> st.SearchStrategy[Adjustment]:
    """Any adjustment, valid or not, over the catalog's ids (and one unknown id).

    `aims` (mandatory and rule-named modules) are picked as often as all the other ids, so the
    changes the rules forbid are tried often, not by chance.
    """
    module = st.sampled_from([*ids, "nope"])
    if aims:
        module = st.one_of(module, st.sampled_from(aims))
    return st.one_of(
        st.builds(Adjustment, st.just("move"), module, before=module),
        st.builds(Adjustment, st.just("move"), module, after=module),
        st.builds(Adjustment, st.just("move"), module, position=st.integers(0, 12)),
        st.builds(
            Adjustment, st.sampled_from(("add", "take_waived", "drop", "alternative")), module
        ),
        st.builds(Adjustment, st.just("pace"), pace_minutes_per_week=st.integers(-5, 600)),
        st.builds(
            Adjustment,
            st.just("due_date"),
            due_date=st.dates(START - timedelta(days=5), END),
        ),
    )


@st.composite
def plan_inputs(draw: st.DrawFn, personal: bool = False) -> PlanInput:
    """A whole random planning input, adjustments included (`personal`: see `programs`)."""
    modules = draw(catalogs())
    ids = [m.id for m in modules]
    done = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    learner = Learner(
        role=draw(st.sampled_from(ROLES)),
        interests=tuple(draw(st.lists(st.sampled_from(("x", "y")), max_size=1))),
        preferred_formats=draw(st.sampled_from(((), ("video",)))),
        pace_minutes_per_week=draw(st.integers(30, 600)),
        levels=draw(level_maps()),
        completed=tuple(Completion(m, START - timedelta(days=k + 1)) for k, m in enumerate(done)),
    )
    prog = draw(programs(modules, personal))
    aims = sorted(
        {e.module for e in prog.modules if e.mandatory} | {m for r in prog.rules for m in r.modules}
    )
    return PlanInput(
        prog,
        tuple(modules),
        learner,
        START,
        draw(st.none() | st.dates(START, START + timedelta(days=90))),
        tuple(draw(st.lists(adjustments(ids, aims), max_size=5))),
    )


def _root(inp: PlanInput, module: str) -> str:
    info = {m.id: m for m in inp.modules}.get(module)
    return info.alternative_of if info and info.alternative_of else module


def _facets(inp: PlanInput, module: str) -> tuple[bool | None, bool | None]:
    """What the holding rules say of a module: in or out, and mandatory or not (None: nothing).

    Each facet is the word of the last rule that speaks to it: include, mandatory and exclude
    to the first; mandatory and optional to the second.
    """
    included: bool | None = None
    mandatory: bool | None = None
    if inp.program.depth < 5:
        return included, mandatory
    for r in inp.program.rules:
        if module not in r.modules or (r.when.roles and inp.learner.role not in r.when.roles):
            continue
        if r.then in ("include", "mandatory", "exclude"):
            included = r.then != "exclude"
        if r.then in ("mandatory", "optional"):
            mandatory = r.then == "mandatory"
    return included, mandatory


def _rule_excluded(inp: PlanInput, module: str) -> bool:
    return _facets(inp, module)[0] is False


def _mandatory_for(inp: PlanInput, entry: PoolEntry) -> bool:
    """A listed module the learner must take: not ruled out, mandatory by rule or pool."""
    included, mandatory = _facets(inp, entry.module)
    return included is not False and (entry.mandatory if mandatory is None else mandatory)


@given(plan_inputs())
@SETTINGS
def test_a_plan_always_respects_prerequisites(inp: PlanInput) -> None:
    result = plan(inp)
    status = {s.module: s.status for s in result.steps}
    groups: dict[str, list[str]] = {}
    for module in status:
        groups.setdefault(_root(inp, module), []).append(module)
    rank = {m: i for i, m in enumerate(result.planned)}
    info = {m.id: m for m in inp.modules}
    for module in result.planned:
        for req in info[module].prerequisites:
            members = groups.get(_root(inp, req), [])
            if not members or _root(inp, req) == _root(inp, module):
                continue
            met = any(status[m] in ("completed", "waived") for m in members)
            before = any(m in rank and rank[m] < rank[module] for m in members)
            ruled = all(_rule_excluded(inp, m) for m in members)
            assert met or before or ruled, (module, req)


def _aimed(data: st.DataObject, inp: PlanInput) -> PlanInput:
    """The input with up to three changes aimed at what the rules forbid, made one by one.

    Each is drawn against the plan so far: a rule-excluded module added, taken anyway or chosen
    as a format; a mandatory one dropped or swapped for another format; either one moved.
    """
    for _ in range(data.draw(st.integers(1, 3))):
        current = plan(inp)
        ruled = [s.module for s in current.steps if s.reason_code == "rule_exclude"]
        mandatory = [s.module for s in current.steps if s.mandatory]
        options = [(k, m) for m in ruled for k in ("add", "take_waived", "alternative")]
        options += [(k, m) for m in mandatory for k in ("drop", "alternative")]
        options += [("move", m) for m in ruled + mandatory]
        if not options:
            break
        kind, module = data.draw(st.sampled_from(options))
        event(f"aimed: {kind} of a {'rule-excluded' if module in ruled else 'mandatory'} module")
        if kind == "move":
            change = Adjustment("move", module, position=data.draw(st.integers(0, 12)))
        else:
            change = Adjustment(cast(AdjustmentKind, kind), module)
        inp = replace(inp, adjustments=(*inp.adjustments, change))
    return inp


ANY_INPUT = st.one_of(plan_inputs(), plan_inputs(personal=True))
"""Inputs at every depth, and as often depth-5 ones where a rule's exclusion is in force."""


@given(ANY_INPUT, st.data())
@SETTINGS
def test_each_module_appears_once_and_rule_exclusions_are_never_planned(
    inp: PlanInput, data: st.DataObject
) -> None:
    inp = _aimed(data, inp)
    result = plan(inp)
    modules = [s.module for s in result.steps]
    assert len(modules) == len(set(modules))
    assert [s.position for s in result.steps] == list(range(len(modules)))
    for step in result.steps:
        if _rule_excluded(inp, step.module):
            assert step.status in ("excluded", "completed"), step
        if step.status == "planned":
            assert step.planned_date is not None and step.planned_date >= START


@given(ANY_INPUT, st.data())
@SETTINGS
def test_every_mandatory_module_is_in_the_plan_unless_waived(
    inp: PlanInput, data: st.DataObject
) -> None:
    inp = _aimed(data, inp)
    result = plan(inp)
    status = {s.module: s.status for s in result.steps}
    for entry in inp.program.modules:
        if not _mandatory_for(inp, entry):
            continue
        group = [m for m in status if _root(inp, m) == _root(inp, entry.module)]
        assert any(status[m] in ("planned", "waived", "completed") for m in group), entry


@given(plan_inputs(), st.randoms(use_true_random=False))
@SETTINGS
def test_same_inputs_same_plan(inp: PlanInput, rng: random.Random) -> None:
    shuffled = list(inp.modules)
    rng.shuffle(shuffled)
    assert plan(inp) == plan(replace(inp, modules=tuple(shuffled))) == plan(inp)


def _effect_holds(result: Plan, adj: Adjustment) -> bool:
    """Whether a single accepted adjustment is visible in the plan."""
    steps = {s.module: s for s in result.steps}
    order = result.planned
    if adj.kind == "move" and adj.before is not None:
        return order.index(str(adj.module)) + 1 == order.index(adj.before)
    if adj.kind == "move" and adj.after is not None:
        return order.index(str(adj.module)) - 1 == order.index(adj.after)
    if adj.kind == "move":
        return order.index(str(adj.module)) == min(int(adj.position or 0), len(order) - 1)
    if adj.kind == "pace":
        return result.pace_minutes_per_week == adj.pace_minutes_per_week
    if adj.kind == "due_date":
        return result.due == adj.due_date
    step = steps[str(adj.module)]
    expected = {
        "add": ("planned",),
        "take_waived": ("planned",),
        "drop": ("excluded", "waived"),
        "alternative": ("planned", "waived"),
    }
    return step.status in expected[adj.kind]


def _targeted(data: st.DataObject, inp: PlanInput) -> Adjustment:
    """An adjustment aimed at modules whose current status makes it likely to be accepted."""
    current = plan(inp)
    excluded = [s for s in current.steps if s.status == "excluded"]
    pick = {
        "add": [s.module for s in excluded if s.reason_code != "alternative"],
        "take_waived": current.modules("waived"),
        "drop": current.planned,
        "alternative": [s.module for s in excluded if s.reason_code == "alternative"],
        "move": current.planned,
    }
    kind = data.draw(
        st.sampled_from([k for k, ids in pick.items() if ids] + ["pace", "due_date", "other"])
    )
    if kind == "pace":
        return Adjustment("pace", pace_minutes_per_week=data.draw(st.integers(1, 600)))
    if kind == "due_date":
        return Adjustment("due_date", due_date=data.draw(st.none() | st.dates(START, END)))
    if kind == "other":
        return data.draw(adjustments([m.id for m in inp.modules]))
    module = data.draw(st.sampled_from(pick[kind]))
    if kind != "move":
        return Adjustment(cast(AdjustmentKind, kind), module)
    place = data.draw(st.sampled_from(("before", "after", "position")))
    if place == "position":
        return Adjustment("move", module, position=data.draw(st.integers(0, 12)))
    anchor = data.draw(st.sampled_from([m for m in pick["move"] if m != module] or [module]))
    if place == "before":
        return Adjustment("move", module, before=anchor)
    return Adjustment("move", module, after=anchor)


UNRELATED = {"zz": LevelEstimate(2.5, 0.1)}
"""A level in a competency no module builds and no target names: it must change nothing."""

REFUSED_AFTER_NEW_LEVELS = {
    "move": {"prerequisite", "not_planned"},
    "add": {"already_planned", "waived"},
    "take_waived": {"not_waived"},
    "drop": {"mandatory", "prerequisite", "not_planned"},
    "alternative": {"already_chosen", "not_planned"},
}
"""The refusals new levels can explain: modules waived, planned or pulled in by the new path."""


def _with_levels(inp: PlanInput, levels: dict[str, LevelEstimate]) -> PlanInput:
    return replace(inp, learner=replace(inp.learner, levels=levels))


def _kept(result: Plan, adj: Adjustment) -> bool:
    return result.applied == (adj,) and result.refused == () and _effect_holds(result, adj)


@given(ANY_INPUT, level_maps(), st.data())
@SETTINGS
def test_valid_adjustments_are_kept_after_replanning(
    inp: PlanInput, new_levels: dict[str, LevelEstimate], data: st.DataObject
) -> None:
    base = replace(inp, adjustments=())
    adj = _targeted(data, base)
    if validate_adjustment(base, adj) is not None:
        event("refused when made")
        return
    same = plan(replace(base, adjustments=(adj,)))
    assert _kept(same, adj)
    unrelated = _with_levels(base, {**base.learner.levels, **UNRELATED})
    assert plan(replace(unrelated, adjustments=(adj,))) == same
    relevelled = replace(_with_levels(base, new_levels), adjustments=(adj,))
    result = plan(relevelled)
    event(f"{adj.kind}: {'refused after re-plan' if result.refused else 'kept'}")
    if adj.kind in ("pace", "due_date"):
        weeks_later = replace(relevelled, start=END + timedelta(days=1))  # past any due date
        assert _kept(result, adj) and _kept(plan(weeks_later), adj)
        return
    if not result.refused:
        assert _kept(result, adj)
        return
    [refusal] = result.refused
    assert refusal.adjustment == adj and refusal.message
    assert refusal.code in REFUSED_AFTER_NEW_LEVELS[adj.kind], refusal


@given(ANY_INPUT, st.data())
@SETTINGS
def test_replanning_with_the_same_or_unrelated_levels_keeps_every_accepted_change(
    inp: PlanInput, data: st.DataObject
) -> None:
    current, accepted = replace(inp, adjustments=()), []
    for _ in range(data.draw(st.integers(1, 4))):
        adj = _targeted(data, current)
        if validate_adjustment(current, adj) is None:
            accepted.append(adj)
            current = replace(current, adjustments=tuple(accepted))
    result = plan(current)
    unrelated = plan(_with_levels(current, {**current.learner.levels, **UNRELATED}))
    assert unrelated == result
    for refusal in result.refused:
        # Only a move or a drop gives way, and only to a later change: a move to one that took
        # its module or anchor off the path or brought in a prerequisite it would now precede,
        # a drop to an addition that needs the dropped module. It is reported, never lost.
        later = accepted[accepted.index(refusal.adjustment) + 1 :]
        assert later and refusal.message, refusal
        if refusal.adjustment.kind == "drop":
            assert refusal.code == "prerequisite", refusal
            assert any(a.kind in ("add", "take_waived", "format") for a in later), refusal
        else:
            assert refusal.adjustment.kind == "move", refusal
            assert refusal.code in ("not_planned", "prerequisite"), refusal
    assert len(result.applied) + len(result.refused) == len(accepted)
    event(f"{len(accepted)} accepted, {len(result.refused)} displaced")


@given(plan_inputs(), level_maps())
@SETTINGS
def test_every_adjustment_is_either_applied_or_refused_in_order(
    inp: PlanInput, new_levels: dict[str, LevelEstimate]
) -> None:
    for candidate in (inp, replace(inp, learner=replace(inp.learner, levels=new_levels))):
        result = plan(candidate)
        refused = [r.adjustment for r in result.refused]
        assert len(result.applied) + len(refused) == len(candidate.adjustments)
        merged = iter(candidate.adjustments)
        assert all(any(a == b for b in merged) for a in result.applied)
