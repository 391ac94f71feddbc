"""The rota's soft goals, one class each.

Every goal can ``build`` its objective term on the CP-SAT variables and ``evaluate`` a
finished plan into the penalties behind that term, computed from the plan alone. The
solver sums the built terms; analysis and the validator sum the evaluated penalties; the
two must agree, and the tests check that they do.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from ortools.sat.python import cp_model

from scheduler.rota.context import RotaContext, minute_of
from scheduler.rota.plan import RotaPlan
from scheduler.rota.problem import TYPE_LABELS, Candidate, RotaProblem
from scheduler.rota.variables import RotaVariables


@dataclass(frozen=True)
class Penalty:
    constraint: str
    cost: int
    message: str
    setting_ids: tuple[int, ...] = ()
    inspector_ids: tuple[int, ...] = ()


class Goal(Protocol):
    name: str

    def build(self, ctx: RotaContext, vars: RotaVariables) -> cp_model.LinearExprT: ...

    def evaluate(self, ctx: RotaContext, plan: RotaPlan) -> list[Penalty]: ...


def _visited(plan: RotaPlan) -> set[int]:
    return {visit.setting_id for visit in plan.visits}


class MustVisits:
    """A must-visit setting left out costs more than anything else, but is allowed, so
    over-constrained input still gets a plan with the reasons."""

    name = "must_visit"

    def build(self, ctx: RotaContext, vars: RotaVariables) -> cp_model.LinearExprT:
        weight = ctx.problem.weights.must_visit_missed
        return sum(
            weight * (1 - vars.is_chosen(c.setting_id))
            for c in ctx.problem.candidates
            if c.must_visit
        )

    def evaluate(self, ctx: RotaContext, plan: RotaPlan) -> list[Penalty]:
        visited = _visited(plan)
        return [
            Penalty(
                self.name,
                ctx.problem.weights.must_visit_missed,
                f"must-visit {c.name} is not visited",
                setting_ids=(c.setting_id,),
            )
            for c in ctx.problem.candidates
            if c.must_visit and c.setting_id not in visited
        ]


class TypeQuotas:
    """Each visit short of a type's quota (or of the total sample size) is penalised."""

    name = "type_quota"

    def build(self, ctx: RotaContext, vars: RotaVariables) -> cp_model.LinearExprT:
        problem, model = ctx.problem, vars.model
        weight = problem.weights.quota_shortfall
        terms: list[cp_model.LinearExprT] = []
        for setting_type, asked in problem.quotas.minimum.items():
            if asked <= 0:
                continue
            met = sum(
                vars.is_chosen(c.setting_id)
                for c in problem.candidates
                if c.setting_type == setting_type
            )
            short = model.new_int_var(0, asked, f"short_{setting_type}")
            model.add(short >= asked - met)
            terms.append(weight * short)
        if problem.quotas.total > 0:
            everything = sum(vars.is_chosen(c.setting_id) for c in problem.candidates)
            short = model.new_int_var(0, problem.quotas.total, "short_total")
            model.add(short >= problem.quotas.total - everything)
            terms.append(weight * short)
        return sum(terms)

    def evaluate(self, ctx: RotaContext, plan: RotaPlan) -> list[Penalty]:
        problem = ctx.problem
        weight = problem.weights.quota_shortfall
        met = Counter(ctx.candidates[v.setting_id].setting_type for v in plan.visits)
        penalties = []
        for setting_type, asked in problem.quotas.minimum.items():
            short = max(0, asked - met[setting_type])
            if short:
                penalties.append(
                    Penalty(
                        self.name,
                        weight * short,
                        f"{met[setting_type]} of {asked} {TYPE_LABELS[setting_type]} "
                        "visits asked for are planned",
                    )
                )
        short = max(0, problem.quotas.total - len(plan.visits))
        if short:
            penalties.append(
                Penalty(
                    self.name,
                    weight * short,
                    f"{len(plan.visits)} of {problem.quotas.total} visits asked for are planned",
                )
            )
        return penalties


class Travel:
    """Less total travel: every minute from base, between settings and home again."""

    name = "travel"

    def build(self, ctx: RotaContext, vars: RotaVariables) -> cp_model.LinearExprT:
        weight = ctx.problem.weights.travel_minute
        return vars.weighted_routes([weight * r.travel for r in vars.routes])

    def evaluate(self, ctx: RotaContext, plan: RotaPlan) -> list[Penalty]:
        weight = ctx.problem.weights.travel_minute
        penalties = []
        for route in plan.routes:
            inspector = ctx.inspectors[route.inspector_id]
            keys = [
                inspector.place_key,
                *(ctx.candidates[s].place_key for s in route.setting_ids),
                inspector.place_key,
            ]
            minutes = sum(ctx.travel(a, b) for a, b in zip(keys, keys[1:], strict=False))
            penalties.append(
                Penalty(
                    self.name,
                    weight * minutes,
                    f"{inspector.name} travels {minutes} minutes on {route.day:%A}",
                    setting_ids=route.setting_ids,
                    inspector_ids=(inspector.id,),
                )
            )
        return penalties


def cohort_cost(problem: RotaProblem, candidate: Candidate) -> int:
    """Cost of choosing a may-visit setting: nothing for the largest SEN cohort, the full
    weight for a setting with none, so the sample leans to where the evidence is."""
    if candidate.must_visit:
        return 0
    largest = max((c.cohort for c in problem.candidates), default=0)
    if largest <= 0:
        return 0
    return round(problem.weights.cohort * (largest - candidate.cohort) / largest)


class CohortPreference:
    name = "cohort"

    def build(self, ctx: RotaContext, vars: RotaVariables) -> cp_model.LinearExprT:
        return sum(
            cohort_cost(ctx.problem, c) * vars.is_chosen(c.setting_id)
            for c in ctx.problem.candidates
        )

    def evaluate(self, ctx: RotaContext, plan: RotaPlan) -> list[Penalty]:
        penalties = []
        for visit in plan.visits:
            candidate = ctx.candidates[visit.setting_id]
            cost = cohort_cost(ctx.problem, candidate)
            if cost:
                penalties.append(
                    Penalty(
                        self.name,
                        cost,
                        f"{candidate.name} has a smaller SEN cohort ({candidate.cohort})",
                        setting_ids=(candidate.setting_id,),
                    )
                )
        return penalties


def area_zones(problem: RotaProblem) -> dict[int, str]:
    """Quarter of the area (around the settings' centre) each located setting lies in."""
    located = [c for c in problem.candidates if c.coordinates is not None]
    if not located:
        return {}
    mid_lat = sum(c.coordinates.latitude for c in located if c.coordinates) / len(located)
    mid_lon = sum(c.coordinates.longitude for c in located if c.coordinates) / len(located)
    zones = {}
    for c in located:
        assert c.coordinates is not None
        north = "north" if c.coordinates.latitude >= mid_lat else "south"
        east = "east" if c.coordinates.longitude >= mid_lon else "west"
        zones[c.setting_id] = f"{north}-{east}"
    return zones


class Spread:
    """A spread across the area: each quarter of the area without a visit is penalised."""

    name = "spread"

    def build(self, ctx: RotaContext, vars: RotaVariables) -> cp_model.LinearExprT:
        weight = ctx.problem.weights.spread_zone_missed
        zones = area_zones(ctx.problem)
        terms: list[cp_model.LinearExprT] = []
        for zone in sorted(set(zones.values())):
            covered = vars.model.new_bool_var(f"covered_{zone}")
            members = [s for s, z in zones.items() if z == zone]
            vars.model.add(covered <= sum(vars.is_chosen(s) for s in members))
            terms.append(weight * (1 - covered))
        return sum(terms)

    def evaluate(self, ctx: RotaContext, plan: RotaPlan) -> list[Penalty]:
        zones = area_zones(ctx.problem)
        covered = {zones[s] for s in _visited(plan) if s in zones}
        return [
            Penalty(
                self.name,
                ctx.problem.weights.spread_zone_missed,
                f"no visit in the {zone} of the area",
            )
            for zone in sorted(set(zones.values()) - covered)
        ]


def active_inspectors(ctx: RotaContext) -> list[int]:
    """Inspectors free at some point of some visit day: the ones the load is shared by."""
    active = []
    for inspector in ctx.problem.inspectors:
        for day_index in range(len(ctx.problem.days)):
            start, end = ctx.day_hours(day_index)
            blocked = ctx.blocked[(inspector.id, day_index)]
            if not any(b0 <= start and end <= b1 for b0, b1 in blocked):
                active.append(inspector.id)
                break
    return active


def fair_share(ctx: RotaContext) -> int:
    """Visits each active inspector may make before the load counts as unbalanced: the
    smallest sample that meets every must-visit and quota, shared out, rounded up."""
    problem = ctx.problem
    must = Counter(c.setting_type for c in problem.candidates if c.must_visit)
    needed = sum(must.values()) + sum(
        max(0, asked - must[setting_type]) for setting_type, asked in problem.quotas.minimum.items()
    )
    needed = max(needed, problem.quotas.total)
    active = max(1, len(active_inspectors(ctx)))
    return max(1, -(-needed // active))


class Balance:
    """Visits shared fairly: each visit an inspector makes beyond a fair share is penalised.

    A penalty on the excess over a fixed share (rather than busiest minus quietest) is
    convex in each inspector's load, so the LP relaxation already sees it and the solver
    proves optimality fast.
    """

    name = "balance"

    def build(self, ctx: RotaContext, vars: RotaVariables) -> cp_model.LinearExprT:
        share = fair_share(ctx)
        model = vars.model
        terms: list[cp_model.LinearExprT] = []
        for inspector_id in active_inspectors(ctx):
            inspector = ctx.inspectors[inspector_id]
            most = inspector.max_visits_per_day * len(ctx.problem.days)
            if most <= share:
                continue
            excess = model.new_int_var(0, most - share, f"excess_{inspector_id}")
            model.add(excess >= vars.visits_of(inspector_id) - share)
            terms.append(ctx.problem.weights.balance * excess)
        return sum(terms)

    def evaluate(self, ctx: RotaContext, plan: RotaPlan) -> list[Penalty]:
        share = fair_share(ctx)
        counts = Counter(v.inspector_id for v in plan.visits)
        return [
            Penalty(
                self.name,
                ctx.problem.weights.balance * (counts[i] - share),
                f"{ctx.inspectors[i].name} has {counts[i]} visits, "
                f"{counts[i] - share} over a fair share of {share}",
                inspector_ids=(i,),
            )
            for i in active_inspectors(ctx)
            if counts[i] > share
        ]


class PreferredTimes:
    """A visit starting outside the setting's preferred windows is penalised."""

    name = "preferred_time"

    def build(self, ctx: RotaContext, vars: RotaVariables) -> cp_model.LinearExprT:
        weight = ctx.problem.weights.preferred_time
        return vars.weighted_routes([weight * len(r.preferred_missed) for r in vars.routes])

    def evaluate(self, ctx: RotaContext, plan: RotaPlan) -> list[Penalty]:
        penalties = []
        for visit in plan.visits:
            candidate = ctx.candidates[visit.setting_id]
            if not candidate.preferred:
                continue
            _, minute = ctx.locate(visit.start)
            if not any(minute_of(lo) <= minute <= minute_of(hi) for lo, hi in candidate.preferred):
                penalties.append(
                    Penalty(
                        self.name,
                        ctx.problem.weights.preferred_time,
                        f"{candidate.name} starts outside its preferred times",
                        setting_ids=(candidate.setting_id,),
                        inspector_ids=(visit.inspector_id,),
                    )
                )
        return penalties


class MinimalChange:
    """Against the previous plan: a visit moved (other inspector, day or start), dropped or
    added costs, so re-planning keeps everything that can stay."""

    name = "change"

    def build(self, ctx: RotaContext, vars: RotaVariables) -> cp_model.LinearExprT:
        if ctx.problem.previous is None:
            return 0
        weights = ctx.problem.weights
        moved = vars.weighted_routes([weights.moved * len(r.moved) for r in vars.routes])
        dropped = sum(weights.dropped * (1 - vars.is_chosen(s)) for s in ctx.previous)
        added = sum(
            weights.added * vars.is_chosen(c.setting_id)
            for c in ctx.problem.candidates
            if c.setting_id not in ctx.previous
        )
        return cp_model.LinearExpr.sum([moved, dropped, added])

    def evaluate(self, ctx: RotaContext, plan: RotaPlan) -> list[Penalty]:
        if ctx.problem.previous is None:
            return []
        weights = ctx.problem.weights
        penalties = []
        visited = {v.setting_id: v for v in plan.visits}
        for setting_id, before in sorted(ctx.previous.items()):
            name = ctx.candidates[setting_id].name if setting_id in ctx.candidates else setting_id
            visit = visited.get(setting_id)
            if visit is None:
                penalties.append(
                    Penalty(self.name, weights.dropped, f"{name} dropped", (setting_id,))
                )
                continue
            day_index, minute = ctx.locate(visit.start)
            if (visit.inspector_id, day_index, minute) != (
                before.inspector_id,
                before.day_index,
                before.start,
            ):
                penalties.append(
                    Penalty(
                        self.name,
                        weights.moved,
                        f"{name} moved",
                        (setting_id,),
                        tuple(sorted({visit.inspector_id, before.inspector_id})),
                    )
                )
        for setting_id in sorted(set(visited) - set(ctx.previous)):
            penalties.append(
                Penalty(
                    self.name,
                    weights.added,
                    f"{ctx.candidates[setting_id].name} added",
                    (setting_id,),
                    (visited[setting_id].inspector_id,),
                )
            )
        return penalties


GOALS: tuple[Goal, ...] = (
    MustVisits(),
    TypeQuotas(),
    Travel(),
    CohortPreference(),
    Spread(),
    Balance(),
    PreferredTimes(),
    MinimalChange(),
)
