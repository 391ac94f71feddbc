"""The two planners of the week, by part."""

from __future__ import annotations

from api.planning import Planner
from api.rota_planner import RotaPlanner
from api.strategy_planner import StrategyPlanner
from models.plan import PlanPart

PLANNERS: dict[PlanPart, Planner] = {
    PlanPart.STRATEGY: StrategyPlanner(),
    PlanPart.ROTA: RotaPlanner(),
}
