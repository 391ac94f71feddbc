"""Score analysis: a plan's cost broken down per soft goal, with the items behind each cost.

The breakdown is recomputed from the plan by the goals themselves, so it works the same
for a solver's plan, the greedy baseline or a hand-edited version.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.strategy.objectives import SOFT_GOALS, Penalty
from scheduler.strategy.plan import StrategyPlan
from scheduler.strategy.problem import StrategyProblem
from scheduler.strategy.timeline import Timeline


@dataclass(frozen=True)
class GoalScore:
    goal: str
    cost: int
    penalties: tuple[Penalty, ...]


@dataclass(frozen=True)
class Analysis:
    total: int
    goals: tuple[GoalScore, ...]

    def cost_of(self, goal: str) -> int:
        return sum(g.cost for g in self.goals if g.goal == goal)


def analyse(problem: StrategyProblem, plan: StrategyPlan) -> Analysis:
    timeline = Timeline(problem)
    goals = []
    for goal in SOFT_GOALS:
        penalties = tuple(goal.penalties(problem, timeline, plan))
        goals.append(GoalScore(goal.name, sum(p.cost for p in penalties), penalties))
    return Analysis(total=sum(g.cost for g in goals), goals=tuple(goals))


def plan_cost(problem: StrategyProblem, plan: StrategyPlan) -> int:
    return analyse(problem, plan).total


def optional_attendances(plan: StrategyPlan) -> int:
    """Optional and frontline invitees who attend, summed over meetings (a benchmark figure)."""
    return sum(len(p.optional_ids) + len(p.frontline_ids) for p in plan.placements)
