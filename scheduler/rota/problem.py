"""The rota problem: visit days, inspectors, candidate settings, quotas and weights.

Plain frozen dataclasses so the API layer can build a problem from rows and the solver,
validator and greedy baseline all read the same input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from types import MappingProxyType
from typing import TYPE_CHECKING

from scheduler.travel import Coordinates, TravelModel

if TYPE_CHECKING:
    from scheduler.rota.plan import RotaPlan

SETTING_TYPES = (
    "early_years",
    "primary",
    "secondary",
    "special",
    "post16",
    "pru_ap",
    "all_through",
)
"""Every setting type the rota knows; ``Candidate.setting_type`` must be one of these."""

TYPE_LABELS = {
    "early_years": "early-years provider",
    "primary": "primary school",
    "secondary": "secondary school",
    "special": "special school",
    "post16": "post-16 college",
    "pru_ap": "PRU/alternative provision",
    "all_through": "all-through school",
}
"""How a person names one setting of each type, for messages and explanations."""

DEFAULT_GATHER = {
    "early_years": ("parents and carers", "the leadership team"),
    "primary": ("pupils", "parents and carers", "governors", "the leadership team"),
    "secondary": ("pupils", "parents and carers", "governors", "the leadership team"),
    "special": ("pupils", "parents and carers", "governors", "the leadership team"),
    "post16": ("students", "parents and carers", "governors", "the leadership team"),
    "pru_ap": ("pupils", "parents and carers", "the management committee", "the leadership team"),
    "all_through": ("pupils", "parents and carers", "governors", "the leadership team"),
}
"""Whom a setting gathers for a visit when the candidate does not say."""

TimeWindow = tuple[time, time]
Period = tuple[datetime, datetime]


def _refuse_naive(owner: str, periods: tuple[Period, ...]) -> None:
    for start, end in periods:
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError(f"{owner}: unavailable periods need timezone-aware datetimes")
        if end <= start:
            raise ValueError(f"{owner}: an unavailable period ends before it starts")


DEFAULT_QUOTAS = MappingProxyType(
    {"early_years": 1, "primary": 1, "secondary": 1, "special": 1, "post16": 1, "pru_ap": 1}
)
DEFAULT_VISIT_MINUTES = MappingProxyType(dict.fromkeys(SETTING_TYPES, 180))


@dataclass(frozen=True)
class VisitDay:
    """One visit day: working hours and a lunch break of ``lunch_minutes`` somewhere in the
    lunch window, taken where it does not overlap a visit or travel."""

    date: date
    start: time = time(8, 30)
    end: time = time(17, 30)
    lunch_start: time = time(12, 0)
    lunch_end: time = time(14, 0)
    lunch_minutes: int = 30


@dataclass(frozen=True)
class Inspector:
    id: int
    name: str
    base_key: str
    base: Coordinates | None
    unavailable: tuple[Period, ...] = ()
    max_visits_per_day: int = 2

    def __post_init__(self) -> None:
        _refuse_naive(f"inspector {self.id}", self.unavailable)

    @property
    def place_key(self) -> str:
        return f"base:{self.base_key}"


@dataclass(frozen=True)
class Candidate:
    """A setting that may be visited.

    ``opening`` is one window for every day or a mapping from ISO weekday (1 = Monday) to a
    window; a weekday missing from the mapping means closed. ``preferred`` windows are soft:
    a visit starting outside them costs ``weights.preferred_time``.
    """

    setting_id: int
    name: str
    setting_type: str
    must_visit: bool = False
    coordinates: Coordinates | None = None
    opening: TimeWindow | Mapping[int, TimeWindow] = (time(8, 30), time(15, 30))
    unavailable: tuple[Period, ...] = ()
    sen_support: int = 0
    ehc_plans: int = 0
    visit_minutes: int | None = None
    preferred: tuple[TimeWindow, ...] = ()
    gather: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.setting_type not in SETTING_TYPES:
            raise ValueError(f"setting {self.setting_id}: unknown type {self.setting_type!r}")
        _refuse_naive(f"setting {self.setting_id}", self.unavailable)

    @property
    def place_key(self) -> str:
        return f"setting:{self.setting_id}"

    @property
    def cohort(self) -> int:
        """Children with SEN support or an EHC plan: the size of the evidence base."""
        return self.sen_support + self.ehc_plans

    def opening_on(self, day: date) -> TimeWindow | None:
        if isinstance(self.opening, tuple):
            return self.opening
        return self.opening.get(day.isoweekday())

    def whom_to_gather(self) -> tuple[str, ...]:
        return self.gather or DEFAULT_GATHER[self.setting_type]


@dataclass(frozen=True)
class Quotas:
    """Minimum visits per setting type (editable per inspection) and an optional total."""

    minimum: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_QUOTAS))
    total: int = 0

    def __post_init__(self) -> None:
        unknown = set(self.minimum) - set(SETTING_TYPES)
        if unknown:
            raise ValueError(f"quotas name unknown setting types: {sorted(unknown)}")
        if any(n < 0 for n in self.minimum.values()) or self.total < 0:
            raise ValueError("quotas cannot be negative")


@dataclass(frozen=True)
class RotaWeights:
    """Weights of the soft goals, in "minutes of travel" so they compare with travel.

    Defaults: a missed must-visit (10000) outweighs everything; a quota shortfall (2000)
    outweighs any travel; a visit moved or dropped from the previous plan costs about an
    hour and a half of travel, so re-planning keeps what it can; cohort size and spread
    are worth up to an hour; each visit an inspector makes beyond a fair share (the smallest
    sample meeting every quota, shared out) costs 45; a visit outside its preferred times
    costs 20.
    """

    must_visit_missed: int = 10000
    quota_shortfall: int = 2000
    travel_minute: int = 1
    cohort: int = 60
    spread_zone_missed: int = 30
    balance: int = 45
    preferred_time: int = 20
    moved: int = 90
    dropped: int = 120
    added: int = 40


@dataclass(frozen=True)
class RotaProblem:
    """Everything the rota solver needs. Times are local to ``timezone``."""

    days: tuple[VisitDay, ...]
    inspectors: tuple[Inspector, ...]
    candidates: tuple[Candidate, ...]
    quotas: Quotas = field(default_factory=Quotas)
    visit_minutes_by_type: Mapping[str, int] = field(
        default_factory=lambda: dict(DEFAULT_VISIT_MINUTES)
    )
    travel: TravelModel = field(default_factory=TravelModel)
    grid_minutes: int = 15
    weights: RotaWeights = field(default_factory=RotaWeights)
    previous: RotaPlan | None = None
    pinned: frozenset[int] = frozenset()
    timezone: str = "Europe/London"
    route_neighbours: int = 40
    """A two-visit day pairs each setting only with its ``route_neighbours`` nearest
    settings (by travel). Exact for up to 41 candidates; for larger areas it keeps the model
    small (150 settings: 28k routes instead of 78k) and the solver's proof is then about
    that model. 0 lists every pair. Days of three or more visits always extend towards the
    nearest few settings only."""

    def candidate(self, setting_id: int) -> Candidate:
        for candidate in self.candidates:
            if candidate.setting_id == setting_id:
                return candidate
        raise KeyError(setting_id)

    def inspector(self, inspector_id: int) -> Inspector:
        for inspector in self.inspectors:
            if inspector.id == inspector_id:
                return inspector
        raise KeyError(inspector_id)

    def visit_minutes(self, candidate: Candidate) -> int:
        if candidate.visit_minutes is not None:
            return candidate.visit_minutes
        return self.visit_minutes_by_type.get(candidate.setting_type, 180)
