"""Monday–Tuesday strategy meeting timetable: a CP-SAT model, explained and re-plannable.

Shape (after the cpsat-primer nurse-rostering example): ``problem`` (data) -> ``options``
(what each meeting could be) -> ``variables`` (one container) -> ``constraints`` (one class
per hard rule) and ``objectives`` (one class per soft goal, each also recomputing its cost
from a plan) -> ``solver``; ``validation`` checks any plan independently.

Entry points: :func:`solve`, :func:`greedy`, :func:`validate`, :func:`placement_violations`,
:func:`analyse`, :func:`explain`, :func:`suggest`, :func:`replan`, :func:`diff`.
"""

from scheduler.strategy.analysis import Analysis, GoalScore, analyse
from scheduler.strategy.explain import Explanation, Requirement, explain
from scheduler.strategy.greedy import greedy
from scheduler.strategy.objectives import Penalty
from scheduler.strategy.plan import Placement, StrategyPlan, Unplaced
from scheduler.strategy.problem import (
    Attendee,
    Meeting,
    Person,
    StrategyDay,
    StrategyProblem,
    Venue,
    Weights,
)
from scheduler.strategy.replan import Change, ChangeKind, PlanDiff, diff, replan
from scheduler.strategy.solver import solve
from scheduler.strategy.suggest import Suggestion, suggest
from scheduler.strategy.validation import Violation, placement_violations, validate

__all__ = [
    "Analysis",
    "Attendee",
    "Change",
    "ChangeKind",
    "Explanation",
    "GoalScore",
    "Meeting",
    "Penalty",
    "Person",
    "Placement",
    "PlanDiff",
    "Requirement",
    "StrategyDay",
    "StrategyPlan",
    "StrategyProblem",
    "Suggestion",
    "Unplaced",
    "Venue",
    "Violation",
    "Weights",
    "analyse",
    "diff",
    "explain",
    "greedy",
    "placement_violations",
    "replan",
    "solve",
    "suggest",
    "validate",
]
