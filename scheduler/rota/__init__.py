"""Wednesday-Thursday setting-visit rota: which settings, which inspector, when, with travel.

Public functions mirror the strategy timetable's: ``solve``, ``validate``, ``analyse``,
``explain``, ``suggest``, ``diff``, ``greedy``; plans have ``to_dict``/``from_dict``/``items``.
"""

from scheduler.rota.analysis import Analysis, GoalScore, Suggestion, analyse, suggest
from scheduler.rota.baseline import greedy
from scheduler.rota.changes import MovedVisit, RotaDiff, diff
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
    "Coverage",
    "Explanation",
    "GoalScore",
    "Inspector",
    "Leg",
    "MovedVisit",
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
    "Violation",
    "analyse",
    "diff",
    "explain",
    "feedback_item",
    "greedy",
    "solve",
    "suggest",
    "validate",
]
