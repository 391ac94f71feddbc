"""What-if for one meeting: the best other places it could go, ranked by what they cost.

Nothing changes: every other placement stays as it is, each alternative is checked
against the hard rules and costed with the same analysis as a full plan.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from scheduler.strategy.analysis import plan_cost
from scheduler.strategy.greedy import Occupancy, build_placement, venue_order
from scheduler.strategy.options import meeting_options
from scheduler.strategy.plan import Placement, StrategyPlan
from scheduler.strategy.problem import StrategyProblem
from scheduler.strategy.timeline import Timeline
from scheduler.strategy.validation import PlanChecker

VENUES_PER_TIME = 3
"""Venues tried per start time (current venue first, then the smallest that fit): keeps a
suggestion on the large instance well under a second."""


@dataclass(frozen=True)
class Suggestion:
    placement: Placement
    cost: int
    cost_delta: int
    """Change in plan cost if applied: negative is better."""


def suggest(
    problem: StrategyProblem, plan: StrategyPlan, meeting_id: int, limit: int = 5
) -> list[Suggestion]:
    meeting = problem.meeting_by_id[meeting_id]
    free_problem = replace(problem, pinned_ids=problem.pinned_ids - {meeting_id})
    timeline = Timeline(free_problem)
    option = meeting_options(free_problem, timeline, meeting)
    current = plan.placement(meeting_id)
    others = StrategyPlan(
        report=plan.report,
        placements=tuple(p for p in plan.placements if p.meeting_id != meeting_id),
    )
    occupancy = Occupancy(free_problem, timeline)
    for p in others.placements:
        occupancy.add(p)
    checker = PlanChecker(free_problem)
    base = plan_cost(free_problem, plan)
    found = []
    for k, start in enumerate(option.starts):
        venues = venue_order(free_problem, option)
        if current is not None and current.venue_id in venues:
            venues.remove(current.venue_id)
            venues.insert(0, current.venue_id)
        tried = 0
        for venue_id in venues:
            if tried >= VENUES_PER_TIME:
                break
            if venue_id is not None and (
                k not in option.venues[venue_id] or not occupancy.venue_free(venue_id, start)
            ):
                continue
            placement = build_placement(occupancy, option, k, venue_id, prefer=current)
            if placement is None or placement == current:
                continue
            if checker.placement_against(others, placement):
                continue
            tried += 1
            cost = plan_cost(free_problem, others.with_placement(placement))
            found.append(Suggestion(placement, cost, cost - base))
    found.sort(key=lambda s: (s.cost, s.placement.start, s.placement.venue_id or 0))
    return found[:limit]
