"""Why a meeting is unplaced, in words a coordinator can act on.

Two cases: nothing about the meeting fits on its own (the option builder kept the reasons),
or every possible time clashes with meetings already in the plan; then the most frequent
blockers are named with the meeting that blocks them.
"""

from __future__ import annotations

from collections import Counter

from scheduler.strategy.options import MeetingOptions, StartOption, role_of
from scheduler.strategy.plan import Placement, StrategyPlan
from scheduler.strategy.problem import StrategyProblem
from scheduler.strategy.timeline import Timeline


def _clash(p: Placement, s: StartOption) -> bool:
    return p.start < s.end and s.start < p.end


def _blockers(
    problem: StrategyProblem,
    timeline: Timeline,
    option: MeetingOptions,
    plan: StrategyPlan,
    k: int,
) -> list[tuple[str, str]]:
    s = option.starts[k]
    people = problem.person_by_id
    meetings = problem.meeting_by_id
    found = []
    others = [p for p in plan.placements if p.meeting_id != option.meeting.id]
    day = s.start.astimezone(timeline.tz).date()
    for person_id in option.hard_people:
        person = people[person_id]
        role = role_of(problem, option.meeting, person_id)
        for q in others:
            if person_id in q.attendee_ids and _clash(q, s):
                found.append(
                    (f"{person.name} ({role}) is busy", repr(meetings[q.meeting_id].title))
                )
        limit = person.max_meetings_per_day
        if limit is not None:
            count = sum(
                1
                for q in others
                if person_id in q.attendee_ids and q.start.astimezone(timeline.tz).date() == day
            )
            if count >= limit:
                found.append((f"{person.name} ({role}) has reached {limit} meetings a day", ""))
    if option.meeting.inspector_rule == "any":
        free = [
            i
            for i, ok in option.any_inspectors.items()
            if k in ok and not any(i in q.inspector_ids and _clash(q, s) for q in others)
        ]
        if not free:
            found.append(("no inspector is free", ""))
    if option.meeting.note_taker_id is None:
        free_pool = [
            n
            for n, ok in option.pool_note_takers.items()
            if k in ok and not any(n in q.attendee_ids and _clash(q, s) for q in others)
        ]
        if not free_pool:
            found.append(("no note-taker from the pool is free", ""))
    if not option.meeting.online:
        open_venues = [
            v
            for v, ok in option.venues.items()
            if k in ok and not any(q.venue_id == v and _clash(q, s) for q in others)
        ]
        if not open_venues:
            found.append(("every suitable venue is booked", ""))
    return found


def unplaced_reasons(
    problem: StrategyProblem, timeline: Timeline, option: MeetingOptions, plan: StrategyPlan
) -> list[str]:
    if not option.starts:
        return option.reasons or ["it has no possible time"]
    blocked: Counter[str] = Counter()
    details: dict[str, set[str]] = {}
    total = len(option.starts)
    for k in range(total):
        found = _blockers(problem, timeline, option, plan, k)
        blocked.update({key for key, _ in found})
        for key, detail in found:
            if detail:
                details.setdefault(key, set()).add(detail)
    if not blocked:
        return [
            "every remaining time breaks a travel buffer, a daily limit or a pinned choice, "
            "or the solver stopped before finding room for it"
        ]
    reasons = []
    for blocker, count in blocked.most_common(4):
        when = "every possible time" if count == total else f"{count} of {total} possible times"
        where = sorted(details.get(blocker, ()))
        suffix = f" (in {', '.join(where[:4])})" if where else ""
        reasons.append(f"{blocker} at {when}{suffix}")
    return reasons
