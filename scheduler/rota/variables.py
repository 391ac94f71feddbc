"""The decision variables of the rota model: one Boolean per listed route.

Hard rules live in the structure: at most one route per inspector-day (so the visit limit,
travel, lunch and hours hold by construction of the routes) and each setting in at most one
chosen route (no setting visited twice, one inspector per visit).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.rota.routes import TimedRoute


class RotaVariables:
    def __init__(self, model: cp_model.CpModel, routes: list[TimedRoute]) -> None:
        self.model = model
        self.routes = routes
        self.uses = [model.new_bool_var(f"route_{index}") for index in range(len(routes))]
        self.by_setting: dict[int, list[int]] = defaultdict(list)
        self.by_inspector_day: dict[tuple[int, int], list[int]] = defaultdict(list)
        for index, route in enumerate(routes):
            for setting_id in route.setting_ids:
                self.by_setting[setting_id].append(index)
            self.by_inspector_day[(route.inspector_id, route.day_index)].append(index)
        for indices in self.by_inspector_day.values():
            model.add_at_most_one(self.uses[i] for i in indices)
        self._chosen: dict[int, cp_model.IntVar] = {}
        for setting_id, indices in self.by_setting.items():
            chosen = model.new_bool_var(f"chosen_{setting_id}")
            model.add(cp_model.LinearExpr.sum([self.uses[i] for i in indices]) == chosen)
            self._chosen[setting_id] = chosen

    def is_chosen(self, setting_id: int) -> cp_model.IntVar | int:
        """1 when the setting is visited; a constant 0 when no route can reach it."""
        return self._chosen.get(setting_id, 0)

    def visits_of(self, inspector_id: int) -> cp_model.LinearExprT:
        indices = [i for i, r in enumerate(self.routes) if r.inspector_id == inspector_id]
        return cp_model.LinearExpr.weighted_sum(
            [self.uses[i] for i in indices], [len(self.routes[i].stops) for i in indices]
        )

    def weighted_routes(self, cost: list[int]) -> cp_model.LinearExprT:
        """Sum over routes of ``cost[route] * used[route]``, skipping zero costs."""
        indices = [i for i, c in enumerate(cost) if c]
        return cp_model.LinearExpr.weighted_sum(
            [self.uses[i] for i in indices], [cost[i] for i in indices]
        )

    def hint(self, routes: list[TimedRoute]) -> None:
        """Suggest a starting plan (previous version or greedy baseline)."""
        wanted = {(r.inspector_id, r.day_index, frozenset(r.setting_ids)) for r in routes}
        for index, route in enumerate(self.routes):
            key = (route.inspector_id, route.day_index, frozenset(route.setting_ids))
            self.model.add_hint(self.uses[index], key in wanted)

    def extract(self, solver: cp_model.CpSolver) -> list[TimedRoute]:
        return [route for index, route in enumerate(self.routes) if solver.value(self.uses[index])]
