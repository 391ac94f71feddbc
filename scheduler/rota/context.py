"""What every rota algorithm needs precomputed: minutes of the day, travel and open windows.

Times inside the rota algorithms are whole minutes after local midnight of a visit day, so
a route's arithmetic is plain integers; ``RotaContext.at`` turns them back into aware
datetimes in the problem's timezone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.rota.problem import Candidate, Inspector, Period, RotaProblem
from scheduler.travel import Coordinates, travel_minutes

Interval = tuple[int, int]
"""Half-open [start, end) in minutes after local midnight."""


def minute_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def subtract(windows: list[Interval], blocked: list[Interval]) -> list[Interval]:
    """``windows`` with every blocked interval cut out."""
    result = windows
    for b_start, b_end in blocked:
        cut: list[Interval] = []
        for w_start, w_end in result:
            if b_end <= w_start or b_start >= w_end:
                cut.append((w_start, w_end))
                continue
            if w_start < b_start:
                cut.append((w_start, b_start))
            if b_end < w_end:
                cut.append((b_end, w_end))
        result = cut
    return result


def overlaps(start: int, end: int, blocked: list[Interval]) -> bool:
    return any(start < b_end and b_start < end for b_start, b_end in blocked)


def earliest_free(ready: int, duration: int, blocked: list[Interval]) -> int:
    """Earliest start at or after ``ready`` of an activity that avoids every blocked interval."""
    start = ready
    moved = True
    while moved:
        moved = False
        for b_start, b_end in blocked:
            if start < b_end and b_start < start + duration:
                start = b_end
                moved = True
    return start


@dataclass(frozen=True)
class PreviousVisit:
    inspector_id: int
    day_index: int
    start: int


class RotaContext:
    """Precomputed facts about one problem, shared by the solver, greedy baseline and suggest."""

    def __init__(self, problem: RotaProblem) -> None:
        self.problem = problem
        self.tz = ZoneInfo(problem.timezone)
        self.candidates = {c.setting_id: c for c in problem.candidates}
        self.inspectors = {i.id: i for i in problem.inspectors}
        self._travel: dict[tuple[str, str], int] = {}
        self._places: dict[str, Coordinates | None] = {
            i.place_key: i.base for i in problem.inspectors
        } | {c.place_key: c.coordinates for c in problem.candidates}
        self.blocked: dict[tuple[int, int], list[Interval]] = {
            (i.id, d): self.local_intervals(i.unavailable, d)
            for i in problem.inspectors
            for d in range(len(problem.days))
        }
        self._setting_windows: dict[tuple[int, int], list[Interval]] = {}
        self.previous: dict[int, PreviousVisit] = {}
        if problem.previous is not None:
            for visit in problem.previous.visits:
                day_index, minute = self.locate(visit.start)
                if day_index is not None:
                    self.previous[visit.setting_id] = PreviousVisit(
                        visit.inspector_id, day_index, minute
                    )

    # -- time -------------------------------------------------------------------------------
    def at(self, day_index: int, minute: int) -> datetime:
        day = self.problem.days[day_index].date
        midnight = datetime(day.year, day.month, day.day, tzinfo=self.tz)
        return midnight + timedelta(minutes=minute)

    def local_intervals(self, periods: tuple[Period, ...], day_index: int) -> list[Interval]:
        """Unavailable periods cut to one day, as minutes after its local midnight."""
        day_start = self.at(day_index, 0)
        result: list[Interval] = []
        for start, end in periods:
            lo = (start.astimezone(self.tz) - day_start).total_seconds() / 60
            hi = (end.astimezone(self.tz) - day_start).total_seconds() / 60
            lo, hi = max(lo, 0.0), min(hi, 24 * 60.0)
            if lo < hi:
                result.append((math.floor(lo), math.ceil(hi)))
        return sorted(result)

    def locate(self, moment: datetime) -> tuple[int | None, int]:
        """(visit-day index or None, minutes after that local midnight) of an aware moment."""
        local = moment.astimezone(self.tz)
        for index, day in enumerate(self.problem.days):
            if day.date == local.date():
                return index, local.hour * 60 + local.minute
        return None, local.hour * 60 + local.minute

    def day_hours(self, day_index: int) -> Interval:
        day = self.problem.days[day_index]
        return minute_of(day.start), minute_of(day.end)

    def day_name(self, day_index: int) -> str:
        return self.problem.days[day_index].date.strftime("%A")

    # -- travel -----------------------------------------------------------------------------
    def travel(self, origin: str, destination: str) -> int:
        key = (origin, destination)
        if key not in self._travel:
            self._travel[key] = travel_minutes(
                origin,
                self._places.get(origin),
                destination,
                self._places.get(destination),
                self.problem.travel,
            )
        return self._travel[key]

    # -- windows ----------------------------------------------------------------------------
    def setting_windows(self, candidate: Candidate, day_index: int) -> list[Interval]:
        """When a visit to ``candidate`` may run on a day, ignoring inspectors: inside its
        opening hours and the working day, outside its unavailable periods."""
        key = (candidate.setting_id, day_index)
        if key not in self._setting_windows:
            opening = candidate.opening_on(self.problem.days[day_index].date)
            if opening is None:
                self._setting_windows[key] = []
            else:
                work_start, work_end = self.day_hours(day_index)
                lo = max(minute_of(opening[0]), work_start)
                hi = min(minute_of(opening[1]), work_end)
                windows = [(lo, hi)] if lo < hi else []
                blocked = self.local_intervals(candidate.unavailable, day_index)
                self._setting_windows[key] = subtract(windows, blocked)
        return self._setting_windows[key]

    def visit_windows(
        self, candidate: Candidate, inspector: Inspector, day_index: int
    ) -> list[Interval]:
        """When this inspector may be at this setting on this day."""
        return subtract(
            self.setting_windows(candidate, day_index), self.blocked[(inspector.id, day_index)]
        )

    def earliest_start(
        self, windows: list[Interval], ready: int, length: int, grid: int | None = None
    ) -> int | None:
        """Earliest start on the grid, at or after ``ready``, of a visit that fits a window."""
        step = grid or self.problem.grid_minutes
        for lo, hi in windows:
            start = max(ready, lo)
            start = -(-start // step) * step
            if start + length <= hi:
                return start
        return None

    def is_pinned(self, setting_id: int) -> bool:
        return setting_id in self.problem.pinned and setting_id in self.previous
