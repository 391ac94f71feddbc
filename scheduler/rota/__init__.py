"""Wednesday-Thursday setting-visit rota: which settings, which inspector, when, with travel.

Shape (after the cpsat-primer nurse-rostering example): ``problem`` (data) -> ``routes``
(every feasible inspector-day, timed with travel and lunch) -> ``variables`` (one Boolean
per route) -> ``constraints`` (one class per soft goal, each also recomputing its cost from
a plan) -> ``solver``; ``validation`` checks any plan independently.

Public functions mirror the strategy timetable's: ``solve``, ``greedy``, ``validate``,
``analyse``, ``explain``, ``suggest``, ``replan``, ``diff``; plans have
``to_dict``/``from_dict``/``items``.
"""

from scheduler.rota.analysis import Analysis, GoalScore, Suggestion, analyse, suggest
from scheduler.rota.baseline import greedy
from scheduler.rota.changes import ChangeKind, RotaDiff, VisitChange, diff, replan
from scheduler.rota.constraints import Penalty
from scheduler.rota.explanation import Explanation, explain
from scheduler.rota.plan import Coverage, Leg, RotaPlan, Route, Unplaced, Visit, feedback_item
from scheduler.rota.problem import (
    Candidate,
    Inspector,
    Quotas,
    RotaProblem,
    RotaWeights,
    VisitDay,
)
from scheduler.rota.solver import solve
from scheduler.rota.validation import Violation, validate

__all__ = [
    "Analysis",
    "Candidate",
    "ChangeKind",
    "Coverage",
    "Explanation",
    "GoalScore",
    "Inspector",
    "Leg",
    "Penalty",
    "Quotas",
    "Route",
    "RotaDiff",
    "RotaPlan",
    "RotaProblem",
    "RotaWeights",
    "Suggestion",
    "Unplaced",
    "Visit",
    "VisitDay",
    "VisitChange",
    "Violation",
    "analyse",
    "diff",
    "explain",
    "feedback_item",
    "greedy",
    "replan",
    "solve",
    "suggest",
    "validate",
]
