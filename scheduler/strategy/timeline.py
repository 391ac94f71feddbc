"""The time grid: strategy days cut into slots of ``grid_minutes`` from local midnight.

A slot is addressed by (day index, slot of the day). The model uses one global index,
``day * stride + slot``, where the stride is two whole days of slots, so meetings on
different days can never look adjacent and travel buffers never reach across days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.strategy.problem import StrategyDay, StrategyProblem


@dataclass(frozen=True)
class Slot:
    day: int
    slot: int
    stride: int

    @property
    def index(self) -> int:
        return self.day * self.stride + self.slot


class Timeline:
    def __init__(self, problem: StrategyProblem) -> None:
        self.grid = problem.grid_minutes
        self.tz = ZoneInfo(problem.timezone)
        self.days: tuple[StrategyDay, ...] = problem.days
        self.slots_per_day = 1440 // self.grid
        self.stride = 2 * self.slots_per_day

    def _slot_of(self, moment: time) -> int:
        return (moment.hour * 60 + moment.minute) // self.grid

    def at(self, day: int, slot: int) -> datetime:
        midnight = datetime.combine(self.days[day].date, time(0), self.tz)
        return midnight + timedelta(minutes=slot * self.grid)

    def span(self, minutes: int) -> int:
        """Slots a meeting of ``minutes`` occupies (rounded up to the grid)."""
        return math.ceil(minutes / self.grid)

    def work_range(self, day: int) -> range:
        d = self.days[day]
        return range(self._slot_of(d.start), self._slot_of(d.end))

    def lunch_range(self, day: int) -> range:
        d = self.days[day]
        return range(
            self._slot_of(d.lunch_start), math.ceil(self._minutes(d.lunch_end) / self.grid)
        )

    @staticmethod
    def _minutes(moment: time) -> int:
        return moment.hour * 60 + moment.minute

    def working_slots(self, day: int) -> list[int]:
        """Slots where meetings may run: working hours minus the protected lunch."""
        lunch = self.lunch_range(day)
        return [s for s in self.work_range(day) if s not in lunch]

    def normal_starts(self, day: int, span: int) -> list[int]:
        """Starts that keep a meeting of ``span`` slots inside hours and clear of lunch."""
        work, lunch = self.work_range(day), self.lunch_range(day)
        return [
            s
            for s in range(work.start, work.stop - span + 1)
            if s + span <= lunch.start or s >= lunch.stop
        ]

    def locate(self, moment: datetime) -> Slot | None:
        """The slot that starts at ``moment``, or None when it is off the grid or off the days."""
        local = moment.astimezone(self.tz)
        for index, day in enumerate(self.days):
            if day.date == local.date():
                minutes = local.hour * 60 + local.minute
                if minutes % self.grid or local.second or local.microsecond:
                    return None
                return Slot(index, minutes // self.grid, self.stride)
        return None

    def slot(self, day: int, slot: int) -> Slot:
        return Slot(day, slot, self.stride)

    def day_label(self, day: int) -> str:
        return self.days[day].date.strftime("%a %d %b")

    def label(self, start: datetime, end: datetime) -> str:
        local_start, local_end = start.astimezone(self.tz), end.astimezone(self.tz)
        return f"{local_start:%a %d %b %H:%M}–{local_end:%H:%M}"
