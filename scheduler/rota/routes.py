"""Routes: one inspector's day, base -> settings -> base, timed with travel and lunch.

An inspector makes only a few visits a day (two by default), so every feasible route of an
inspector-day can be listed ahead of the solve. The solver then only picks routes (a set
packing with an exact LP bound), and everything about time - opening hours, travel, lunch,
unavailability, preferred times - is settled here, once per route, by earliest-start
scheduling, which is exact for feasibility: starting a step later never helps a later step.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations, permutations

from scheduler.rota.context import Interval, RotaContext, earliest_free, minute_of, overlaps
from scheduler.rota.problem import Candidate, Inspector

LONG_ROUTE_NEIGHBOURS = 8
"""A day of three or more visits extends a shorter day only towards the nearest few
settings (unless ``route_neighbours`` says otherwise): listing them all would not pay."""


@dataclass(frozen=True)
class TimedStop:
    setting_id: int
    start: int
    end: int
    travel_before: int


@dataclass(frozen=True)
class TimedLeg:
    origin: str
    destination: str
    depart: int
    arrive: int
    minutes: int


@dataclass(frozen=True)
class TimedRoute:
    inspector_id: int
    day_index: int
    stops: tuple[TimedStop, ...]
    legs: tuple[TimedLeg, ...]
    lunch: Interval
    travel: int
    preferred_missed: tuple[int, ...]
    moved: tuple[int, ...]

    @property
    def setting_ids(self) -> tuple[int, ...]:
        return tuple(stop.setting_id for stop in self.stops)


@dataclass(frozen=True)
class _Wish:
    """A soft wish about one stop's start: honour it by restricting the stop's windows."""

    stop: int
    kind: str  # "preferred" | "keep"
    window: Interval | None  # the kept start range; preferred windows come from the candidate


def _intersect(windows: list[Interval], lo: int, hi: int) -> list[Interval]:
    return [(max(a, lo), min(b, hi)) for a, b in windows if max(a, lo) < min(b, hi)]


def route_travel(ctx: RotaContext, inspector: Inspector, order: tuple[int, ...]) -> int:
    keys = [inspector.place_key, *(ctx.candidates[s].place_key for s in order), inspector.place_key]
    return sum(ctx.travel(a, b) for a, b in zip(keys, keys[1:], strict=False))


def _schedule(
    ctx: RotaContext,
    inspector: Inspector,
    day_index: int,
    order: tuple[Candidate, ...],
    windows: list[list[Interval]],
    lunch_position: int,
) -> tuple[tuple[TimedStop, ...], tuple[TimedLeg, ...], Interval] | None:
    """Earliest-start timing with lunch at ``lunch_position``: 2j is before leg j leaves,
    2j+1 is after leg j arrives (leg len(order) is the way home); -1 leaves lunch out, a
    quick test that fails whenever every lunch position would."""
    day = ctx.problem.days[day_index]
    work_start, work_end = ctx.day_hours(day_index)
    lunch_lo, lunch_hi = minute_of(day.lunch_start), minute_of(day.lunch_end)
    blocked = ctx.blocked[(inspector.id, day_index)]
    ready, place = work_start, inspector.place_key
    stops: list[tuple[int, int, int, int]] = []  # TimedStop fields, built once it fits
    legs: list[tuple[str, str, int, int, int]] = []  # TimedLeg fields
    lunch: Interval | None = None

    def take_lunch(at: int) -> int | None:
        nonlocal lunch
        start = earliest_free(max(at, lunch_lo), day.lunch_minutes, blocked)
        if start + day.lunch_minutes > lunch_hi:
            return None
        lunch = (start, start + day.lunch_minutes)
        return lunch[1]

    for j in range(len(order) + 1):
        destination = order[j].place_key if j < len(order) else inspector.place_key
        if lunch_position == 2 * j:
            after = take_lunch(ready)
            if after is None:
                return None
            ready = after
        minutes = ctx.travel(place, destination)
        depart = earliest_free(ready, minutes, blocked)
        legs.append((place, destination, depart, depart + minutes, minutes))
        ready, place = depart + minutes, destination
        if lunch_position == 2 * j + 1:
            after = take_lunch(ready)
            if after is None:
                return None
            ready = after
        if j < len(order):
            length = ctx.problem.visit_minutes(order[j])
            start = ctx.earliest_start(windows[j], ready, length)
            if start is None:
                return None
            stops.append((order[j].setting_id, start, start + length, minutes))
            ready = start + length
    if ready > work_end or (lunch is None and lunch_position >= 0):
        return None
    if lunch is None:
        lunch = (0, 0)
    elif stops and lunch_position >= 2:
        # Leave base just in time rather than wait at the first setting.
        origin, destination, _, _, minutes = legs[0]
        first_start = stops[0][1]
        if not overlaps(first_start - minutes, first_start, blocked):
            legs[0] = (origin, destination, first_start - minutes, first_start, minutes)
    return tuple(TimedStop(*s) for s in stops), tuple(TimedLeg(*leg) for leg in legs), lunch


def _lunch_positions(visits: int) -> list[int]:
    """Lunch halfway through the day first, as a person would plan it."""
    middle = 2 * ((visits + 1) // 2)
    return sorted(range(2 * visits + 2), key=lambda p: (abs(p - middle - 0.25), p))


def _wishes(
    ctx: RotaContext, inspector: Inspector, day_index: int, order: tuple[Candidate, ...]
) -> tuple[list[_Wish], list[list[Interval]], list[int]] | None:
    """Hard windows per stop, the soft wishes, and stops moved whatever the timing."""
    windows: list[list[Interval]] = []
    wishes: list[_Wish] = []
    moved: list[int] = []
    for index, candidate in enumerate(order):
        length = ctx.problem.visit_minutes(candidate)
        allowed = ctx.visit_windows(candidate, inspector, day_index)
        previous = ctx.previous.get(candidate.setting_id)
        same_place = previous is not None and (previous.inspector_id, previous.day_index) == (
            inspector.id,
            day_index,
        )
        if ctx.is_pinned(candidate.setting_id):
            if not same_place or previous is None:
                return None
            allowed = _intersect(allowed, previous.start, previous.start + length)
        elif previous is not None and same_place:
            wishes.append(_Wish(index, "keep", (previous.start, previous.start + length)))
        elif previous is not None:
            moved.append(candidate.setting_id)
        if candidate.preferred:
            wishes.append(_Wish(index, "preferred", None))
        if not allowed:
            return None
        windows.append(allowed)
    return wishes, windows, moved


def _preferred_windows(candidate: Candidate, length: int) -> list[Interval]:
    return [(minute_of(lo), minute_of(hi) + length) for lo, hi in candidate.preferred]


def time_route(
    ctx: RotaContext,
    inspector: Inspector,
    day_index: int,
    order: tuple[int, ...],
    fixed_start: dict[int, int] | None = None,
    travel: int | None = None,
) -> TimedRoute | None:
    """The cheapest timing of visiting ``order`` in that order, or None if none fits.

    Soft wishes (start in a preferred window, keep the previous start) are tried as hard
    restrictions, cheapest set of broken wishes first, so the first feasible timing is the
    cheapest one for this order.
    """
    if len(order) > inspector.max_visits_per_day:
        return None
    candidates = tuple(ctx.candidates[s] for s in order)
    found = _wishes(ctx, inspector, day_index, candidates)
    if found is None:
        return None
    wishes, windows, moved = found
    for index, setting_id in enumerate(order):
        if fixed_start and setting_id in fixed_start:
            start = fixed_start[setting_id]
            length = ctx.problem.visit_minutes(candidates[index])
            windows[index] = _intersect(windows[index], start, start + length)
            if not windows[index]:
                return None
    weights = ctx.problem.weights
    cost = {"preferred": weights.preferred_time, "keep": weights.moved}
    subsets = sorted(
        (
            frozenset(kept)
            for size in range(len(wishes), -1, -1)
            for kept in combinations(range(len(wishes)), size)
        ),
        key=lambda kept: sum(cost[w.kind] for i, w in enumerate(wishes) if i not in kept),
    )
    if _schedule(ctx, inspector, day_index, candidates, windows, -1) is None:
        return None
    if travel is None:
        travel = route_travel(ctx, inspector, order)
    for kept in subsets:
        restricted = [list(w) for w in windows]
        for index in kept:
            wish = wishes[index]
            candidate = candidates[wish.stop]
            length = ctx.problem.visit_minutes(candidate)
            if wish.window is not None:
                lo, hi = wish.window
                restricted[wish.stop] = _intersect(restricted[wish.stop], lo, hi)
            else:
                restricted[wish.stop] = [
                    part
                    for lo, hi in _preferred_windows(candidate, length)
                    for part in _intersect(restricted[wish.stop], lo, hi)
                ]
        if any(not w for w in restricted):
            continue
        if kept and _schedule(ctx, inspector, day_index, candidates, restricted, -1) is None:
            continue
        for position in _lunch_positions(len(order)):
            timed = _schedule(ctx, inspector, day_index, candidates, restricted, position)
            if timed is None:
                continue
            stops, legs, lunch = timed
            broken = [wishes[i] for i in range(len(wishes)) if i not in kept]
            return TimedRoute(
                inspector_id=inspector.id,
                day_index=day_index,
                stops=stops,
                legs=legs,
                lunch=lunch,
                travel=travel,
                preferred_missed=tuple(
                    candidates[w.stop].setting_id for w in broken if w.kind == "preferred"
                ),
                moved=tuple(
                    sorted(
                        moved + [candidates[w.stop].setting_id for w in broken if w.kind == "keep"]
                    )
                ),
            )
    return None


def best_route(
    ctx: RotaContext, inspector: Inspector, day_index: int, settings: tuple[int, ...]
) -> TimedRoute | None:
    """The cheapest order of visiting a set of settings in one inspector-day."""
    best: TimedRoute | None = None
    for order in permutations(settings):
        route = time_route(ctx, inspector, day_index, order)
        if route is not None and (best is None or route_cost(ctx, route) < route_cost(ctx, best)):
            best = route
    return best


def route_cost(ctx: RotaContext, route: TimedRoute) -> int:
    """The part of the objective a route carries by itself (see constraints.py)."""
    weights = ctx.problem.weights
    return (
        weights.travel_minute * route.travel
        + weights.preferred_time * len(route.preferred_missed)
        + weights.moved * len(route.moved)
    )


def enumerate_routes(ctx: RotaContext) -> Iterator[TimedRoute]:
    """Every feasible route of every inspector-day, the cheapest order of each set of visits."""
    for inspector in ctx.problem.inspectors:
        for day_index in range(len(ctx.problem.days)):
            yield from _routes_of_day(ctx, inspector, day_index)


def _pairs(ctx: RotaContext, ids: list[int], neighbours: int) -> list[tuple[int, int]]:
    """Pairs of settings one inspector may visit on the same day: every pair, or with
    ``neighbours`` > 0 each setting with its nearest few (either way round)."""
    if neighbours <= 0 or neighbours >= len(ids) - 1:
        return list(combinations(ids, 2))
    key = {s: ctx.candidates[s].place_key for s in ids}
    pairs: set[tuple[int, int]] = set()
    for a in ids:
        others = sorted((b for b in ids if b != a), key=lambda b: (ctx.travel(key[a], key[b]), b))
        for b in others[:neighbours]:
            pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def _routes_of_day(ctx: RotaContext, inspector: Inspector, day_index: int) -> Iterator[TimedRoute]:
    work_start, work_end = ctx.day_hours(day_index)
    day = ctx.problem.days[day_index]
    spare = work_end - work_start - day.lunch_minutes
    singles: dict[int, TimedRoute] = {}
    for candidate in ctx.problem.candidates:
        route = time_route(ctx, inspector, day_index, (candidate.setting_id,))
        if route is not None:
            singles[candidate.setting_id] = route
            yield route
    if inspector.max_visits_per_day < 2:
        return
    ids = sorted(singles)
    length = {s: ctx.problem.visit_minutes(ctx.candidates[s]) for s in ids}
    base = inspector.place_key
    key = {s: ctx.candidates[s].place_key for s in ids}
    windows = {s: ctx.visit_windows(ctx.candidates[s], inspector, day_index) for s in ids}
    latest_end = {s: windows[s][-1][1] for s in ids}
    earliest_end: dict[int, int] = {}
    for s in ids:
        start = ctx.earliest_start(windows[s], work_start + ctx.travel(base, key[s]), length[s])
        earliest_end[s] = (start if start is not None else work_end) + length[s]
    weight = ctx.problem.weights.travel_minute
    previous_layer: list[TimedRoute] = []
    for a, b in _pairs(ctx, ids, ctx.problem.route_neighbours):
        fits = ctx.travel(base, key[a]) + length[a] + length[b] + ctx.travel(key[b], base)
        if fits + ctx.travel(key[a], key[b]) > spare and fits + ctx.travel(key[b], key[a]) > spare:
            continue
        orders = []
        if earliest_end[a] + ctx.travel(key[a], key[b]) + length[b] <= latest_end[b]:
            orders.append(((a, b), route_travel(ctx, inspector, (a, b))))
        if earliest_end[b] + ctx.travel(key[b], key[a]) + length[a] <= latest_end[a]:
            orders.append(((b, a), route_travel(ctx, inspector, (b, a))))
        orders.sort(key=lambda pair: pair[1])
        best: TimedRoute | None = None
        for order, travel in orders:
            if best is not None and route_cost(ctx, best) <= weight * travel:
                break  # the other order cannot be cheaper
            route = time_route(ctx, inspector, day_index, order, travel=travel)
            if route is not None and (
                best is None or route_cost(ctx, route) < route_cost(ctx, best)
            ):
                best = route
        if best is not None:
            previous_layer.append(best)
            yield best
    seen: set[frozenset[int]] = set()
    for _ in range(3, inspector.max_visits_per_day + 1):
        layer: list[TimedRoute] = []
        for route in previous_layer:
            last = ctx.candidates[route.stops[-1].setting_id].place_key
            nearest = sorted(
                (s for s in ids if s not in route.setting_ids),
                key=lambda s: ctx.travel(last, key[s]),
            )[: ctx.problem.route_neighbours or LONG_ROUTE_NEIGHBOURS]
            for extra in nearest:
                members = frozenset((*route.setting_ids, extra))
                if members in seen:
                    continue
                seen.add(members)
                longer = time_route(ctx, inspector, day_index, (*route.setting_ids, extra))
                if longer is not None:
                    layer.append(longer)
                    yield longer
        previous_layer = layer
