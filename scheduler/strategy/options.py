"""What each meeting could possibly be: its feasible starts, venues and people per start.

Everything a single meeting can rule out on its own (hours, lunch, a required person's
leave, a venue too small) is decided here, before the model exists. The model then only
holds variables for possible choices, which keeps it small and its bound tight, and the
reasons for an empty option set are kept to explain an unplaced meeting in words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from scheduler.strategy.problem import Meeting, Person, StrategyProblem, Venue, overlaps
from scheduler.strategy.timeline import Slot, Timeline


@dataclass
class StartOption:
    slot: Slot
    start: datetime
    end: datetime


@dataclass
class MeetingOptions:
    """Feasible choices for one meeting. Person/venue maps give the start indices at which
    that person or venue is free; a missing key means never."""

    meeting: Meeting
    span: int
    starts: list[StartOption]
    hard_people: tuple[int, ...]  # always present when placed
    venues: dict[int, set[int]]  # venue id -> start indices where usable
    any_inspectors: dict[int, set[int]]  # for rule "any"
    pool_note_takers: dict[int, set[int]]
    optional: dict[int, set[int]]
    frontline: dict[int, set[int]]
    reps: dict[int, set[int]]
    reasons: list[str] = field(default_factory=list)

    @property
    def needs_pool_note_taker(self) -> bool:
        return self.meeting.note_taker_id is None

    @property
    def base_headcount(self) -> int:
        return (
            len(self.hard_people)
            + (1 if self.meeting.inspector_rule == "any" else 0)
            + (1 if self.needs_pool_note_taker else 0)
        )


def hard_people(problem: StrategyProblem, meeting: Meeting) -> tuple[int, ...]:
    """People who must be in the meeting whenever it is placed."""
    people = list(meeting.required_ids)
    if meeting.inspector_rule == "all":
        people += problem.inspector_ids
    elif meeting.inspector_rule == "named":
        people += meeting.named_inspector_ids
    if meeting.note_taker_id is not None:
        people.append(meeting.note_taker_id)
    return tuple(dict.fromkeys(people))


def role_of(problem: StrategyProblem, meeting: Meeting, person_id: int) -> str:
    if person_id in meeting.required_ids:
        return "required"
    if person_id in problem.inspector_ids:
        return "inspector"
    if person_id == meeting.note_taker_id:
        return "note-taker"
    return "attendee"


def suitable_venue_problem(
    meeting: Meeting, venue: Venue, headcount: int, step_free: bool
) -> str | None:
    """Why ``venue`` cannot host ``meeting`` whatever the time, or None if it can."""
    if meeting.fixed_venue_id is not None and venue.id != meeting.fixed_venue_id:
        return "not the fixed venue"
    if venue.capacity < headcount:
        return f"{venue.name} seats {venue.capacity}, {headcount} needed"
    if step_free and not venue.step_free:
        return f"{venue.name} is not step-free"
    if meeting.needs_video_conferencing and not venue.video_conferencing:
        return f"{venue.name} has no video conferencing"
    return None


def _free_map(
    people: list[Person], starts: list[StartOption], exclude: set[int]
) -> dict[int, set[int]]:
    free: dict[int, set[int]] = {}
    for person in people:
        if person.id in exclude:
            continue
        ok = {i for i, s in enumerate(starts) if person.is_free(s.start, s.end)}
        if ok:
            free[person.id] = ok
    return free


def _raw_starts(
    problem: StrategyProblem, timeline: Timeline, meeting: Meeting, span: int
) -> tuple[list[StartOption], list[str]]:
    duration = timedelta(minutes=meeting.duration_minutes)
    previous = problem.previous.placement(meeting.id) if problem.previous else None
    pinned_start = previous.start if previous and meeting.id in problem.pinned_ids else None
    fixed = pinned_start or meeting.fixed_start
    if fixed is not None:
        slot = timeline.locate(fixed)
        if slot is None:
            what = "pinned" if pinned_start else "fixed"
            return [], [f"its {what} start {fixed:%a %d %b %H:%M} is not on a strategy day's grid"]
        start = timeline.at(slot.day, slot.slot)
        return [StartOption(slot, start, start + duration)], []
    starts = []
    for day in range(len(timeline.days)):
        for s in timeline.normal_starts(day, span):
            start = timeline.at(day, s)
            starts.append(StartOption(timeline.slot(day, s), start, start + duration))
    if not starts:
        return [], [f"a {meeting.duration_minutes}-minute meeting does not fit the working hours"]
    return starts, []


def _summarise_blockers(blocked: Counter[str], total: int) -> list[str]:
    reasons = []
    for blocker, count in blocked.most_common(4):
        when = "every possible start time" if count == total else f"{count} of {total} start times"
        reasons.append(f"{blocker} at {when}")
    return reasons


def meeting_options(
    problem: StrategyProblem, timeline: Timeline, meeting: Meeting
) -> MeetingOptions:
    people = problem.person_by_id
    span = timeline.span(meeting.duration_minutes)
    starts, reasons = _raw_starts(problem, timeline, meeting, span)
    must = hard_people(problem, meeting)
    previous = problem.previous.placement(meeting.id) if problem.previous else None
    pinned = previous is not None and meeting.id in problem.pinned_ids

    # People-wise filter: every hard person free, and someone for the chosen roles.
    blocked: Counter[str] = Counter()
    any_pool = [people[i] for i in problem.inspector_ids]
    if pinned and previous is not None and meeting.inspector_rule == "any":
        any_pool = [people[i] for i in previous.inspector_ids if i in people]
    invited = set(meeting.invited_ids)
    note_pool = [people[i] for i in problem.note_taker_ids if i not in invited]
    kept: list[StartOption] = []
    for option in starts:
        problems = [
            f"{people[p].name} ({role_of(problem, meeting, p)}) is unavailable"
            for p in must
            if not people[p].is_free(option.start, option.end)
        ]
        if meeting.inspector_rule == "any" and not any(
            i.is_free(option.start, option.end) for i in any_pool
        ):
            problems.append("no inspector is free")
        if meeting.note_taker_id is None and not any(
            n.is_free(option.start, option.end) for n in note_pool
        ):
            problems.append("no note-taker from the pool is free")
        blocked.update(problems)
        if not problems:
            kept.append(option)
    if starts and not kept:
        if pinned and previous is not None:
            when = timeline.label(previous.start, previous.end)
            reasons += [f"its pinned time {when} is no longer possible: {b}" for b in blocked]
        else:
            reasons += _summarise_blockers(blocked, len(starts))

    # Venue-wise filter.
    venues: dict[int, set[int]] = {}
    headcount = len(must) + (meeting.inspector_rule == "any") + (meeting.note_taker_id is None)
    step_free = any(people[p].needs_step_free for p in must)
    if not meeting.online and kept:
        allowed = problem.venues
        if pinned and previous is not None:
            allowed = tuple(v for v in problem.venues if v.id == previous.venue_id)
        unsuitable = []
        for venue in allowed:
            why = suitable_venue_problem(meeting, venue, headcount, step_free)
            if why is not None:
                unsuitable.append(why)
                continue
            ok = {i for i, s in enumerate(kept) if not overlaps(venue.unavailable, s.start, s.end)}
            if ok:
                venues[venue.id] = ok
            else:
                unsuitable.append(f"{venue.name} is unavailable at every possible time")
        usable = set().union(*venues.values()) if venues else set()
        if not venues:
            reasons.append(
                "no venue fits: "
                + "; ".join(w for w in unsuitable if w != "not the fixed venue")[:300]
            )
        renumber = {old: new for new, old in enumerate(sorted(usable))}
        kept = [kept[old] for old in sorted(usable)]
        venues = {v: {renumber[i] for i in ok} for v, ok in venues.items()}
    return MeetingOptions(
        meeting=meeting,
        span=span,
        starts=kept,
        hard_people=must,
        venues=venues,
        any_inspectors=_free_map(any_pool, kept, set()) if meeting.inspector_rule == "any" else {},
        pool_note_takers=_free_map(note_pool, kept, set()) if meeting.note_taker_id is None else {},
        optional=_free_map([people[i] for i in meeting.optional_ids], kept, set(must)),
        frontline=_free_map([people[i] for i in meeting.frontline_ids], kept, set(must)),
        reps=_free_map([people[i] for i in problem.parent_rep_ids], kept, set(must) | invited)
        if meeting.parent_reps_wanted > 0
        else {},
        reasons=reasons,
    )


def all_options(problem: StrategyProblem, timeline: Timeline) -> Mapping[int, MeetingOptions]:
    return {m.id: meeting_options(problem, timeline, m) for m in problem.meetings}
