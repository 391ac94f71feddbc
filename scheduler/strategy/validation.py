"""An independent check of a plan against every hard rule, in the words a coordinator uses.

This does not look at the model at all: it rereads the problem and the plan, so it catches
model bugs as well as bad hand edits. Every plan the tests produce goes through it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from scheduler.strategy.constraints import buffer_minutes
from scheduler.strategy.plan import Placement, StrategyPlan
from scheduler.strategy.problem import Meeting, StrategyProblem, overlaps
from scheduler.strategy.timeline import Timeline


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    meeting_id: int | None = None
    person_ids: tuple[int, ...] = ()
    venue_id: int | None = None


class PlanChecker:
    """Holds the lookups so that checking one placement against a plan stays cheap."""

    def __init__(self, problem: StrategyProblem) -> None:
        self.problem = problem
        self.timeline = Timeline(problem)
        self.people = problem.person_by_id
        self.venues = problem.venue_by_id
        self.meetings = problem.meeting_by_id

    def _when(self, p: Placement) -> str:
        return self.timeline.label(p.start, p.end)

    def _title(self, meeting_id: int) -> str:
        meeting = self.meetings.get(meeting_id)
        return repr(meeting.title) if meeting else f"meeting {meeting_id}"

    # -- one placement on its own ---------------------------------------------------------

    def alone(self, p: Placement) -> list[Violation]:
        meeting = self.meetings.get(p.meeting_id)
        if meeting is None:
            return [Violation("unknown_meeting", f"meeting {p.meeting_id} is not requested")]
        out = self._time(meeting, p) + self._roles(meeting, p) + self._venue(meeting, p)
        for person_id in p.attendee_ids:
            person = self.people.get(person_id)
            if person is None:
                out.append(
                    Violation("unknown_person", f"person {person_id} is unknown", p.meeting_id)
                )
            elif not person.is_free(p.start, p.end):
                why = "outside the hours they gave" if person.available else "unavailable"
                out.append(
                    Violation(
                        "availability",
                        f"{person.name} is {why} at {self._when(p)} ({meeting.title!r})",
                        meeting.id,
                        (person_id,),
                    )
                )
        return out

    def _time(self, meeting: Meeting, p: Placement) -> list[Violation]:
        out = []
        t = self.timeline
        if p.start.tzinfo is None or p.end.tzinfo is None:
            return [Violation("time", f"{meeting.title!r} has a naive time", meeting.id)]
        if p.end - p.start != timedelta(minutes=meeting.duration_minutes):
            out.append(
                Violation(
                    "duration",
                    f"{meeting.title!r} must last {meeting.duration_minutes} minutes",
                    meeting.id,
                )
            )
        slot = t.locate(p.start)
        if slot is None:
            out.append(
                Violation(
                    "grid",
                    f"{meeting.title!r} at {self._when(p)} is not on a strategy day's "
                    f"{t.grid}-minute grid",
                    meeting.id,
                )
            )
            return out
        if meeting.fixed_start is not None:
            if p.start != meeting.fixed_start:
                out.append(
                    Violation(
                        "fixed_time",
                        f"{meeting.title!r} is fixed at {meeting.fixed_start:%a %H:%M}",
                        meeting.id,
                    )
                )
            return out
        span = t.span(meeting.duration_minutes)
        if slot.slot not in t.normal_starts(slot.day, span):
            out.append(
                Violation(
                    "working_hours",
                    f"{meeting.title!r} at {self._when(p)} is outside working hours or "
                    "overlaps the protected lunch",
                    meeting.id,
                )
            )
        return out

    def _roles(self, meeting: Meeting, p: Placement) -> list[Violation]:
        out = []
        problem = self.problem

        def bad(rule: str, text: str, people: tuple[int, ...] = ()) -> None:
            out.append(Violation(rule, f"{meeting.title!r}: {text}", meeting.id, people))

        if set(p.required_ids) != set(meeting.required_ids):
            missing = tuple(set(meeting.required_ids) - set(p.required_ids))
            names = ", ".join(self.people[i].name for i in missing if i in self.people)
            bad("required", f"required attendees missing: {names or 'wrong list'}", missing)
        team = set(problem.inspector_ids)
        chosen = set(p.inspector_ids)
        if not chosen <= team:
            bad("inspectors", "someone who is not an inspector is listed as one")
        if meeting.inspector_rule == "any" and len(chosen) != 1:
            bad("inspectors", f"needs one inspector, has {len(chosen)}")
        if meeting.inspector_rule == "all" and chosen != team:
            bad("inspectors", "needs the whole inspection team")
        if meeting.inspector_rule == "named" and chosen != set(meeting.named_inspector_ids):
            names = ", ".join(self.people[i].name for i in meeting.named_inspector_ids)
            bad("inspectors", f"needs exactly {names}")
        if p.note_taker_id is None:
            bad("note_taker", "has no note-taker")
        elif meeting.note_taker_id is not None and p.note_taker_id != meeting.note_taker_id:
            bad("note_taker", f"note-taker must be {self.people[meeting.note_taker_id].name}")
        elif meeting.note_taker_id is None and p.note_taker_id not in problem.note_taker_ids:
            bad("note_taker", "note-taker is not in the note-taker pool")
        if not set(p.optional_ids) <= set(meeting.optional_ids):
            bad("invitation", "lists optional attendees who were not invited")
        if not set(p.frontline_ids) <= set(meeting.frontline_ids):
            bad("invitation", "lists frontline practitioners who were not invited")
        if not set(p.parent_rep_ids) <= set(problem.parent_rep_ids):
            bad("invitation", "lists parent reps who are not forum reps")
        return out

    def _venue(self, meeting: Meeting, p: Placement) -> list[Violation]:
        if p.venue_id is None:
            if meeting.online:
                return []
            return [Violation("venue", f"{meeting.title!r} needs a venue", meeting.id)]
        venue = self.venues.get(p.venue_id)
        if venue is None:
            return [Violation("venue", f"venue {p.venue_id} is unknown", meeting.id)]
        out = []

        def bad(rule: str, text: str, people: tuple[int, ...] = ()) -> None:
            out.append(Violation(rule, text, meeting.id, people, venue.id))

        if meeting.fixed_venue_id is not None and venue.id != meeting.fixed_venue_id:
            bad("fixed_venue", f"{meeting.title!r} is fixed to another venue")
        headcount = len(p.attendee_ids)
        if headcount > venue.capacity:
            bad(
                "capacity",
                f"{venue.name} seats {venue.capacity}; {meeting.title!r} has {headcount}",
            )
        needing = tuple(
            i for i in p.attendee_ids if i in self.people and self.people[i].needs_step_free
        )
        if needing and not venue.step_free:
            names = ", ".join(self.people[i].name for i in needing)
            bad(
                "step_free",
                f"{venue.name} is not step-free and {names} need(s) step-free access",
                needing,
            )
        if meeting.needs_video_conferencing and not venue.video_conferencing:
            bad("video", f"{venue.name} has no video conferencing for {meeting.title!r}")
        if overlaps(venue.unavailable, p.start, p.end):
            bad("venue_unavailable", f"{venue.name} is unavailable at {self._when(p)}")
        return out

    # -- two placements together ----------------------------------------------------------

    def pair(self, a: Placement, b: Placement) -> list[Violation]:
        out = []
        clash = a.start < b.end and b.start < a.end
        if clash and a.venue_id is not None and a.venue_id == b.venue_id:
            out.append(
                Violation(
                    "venue_double_booking",
                    f"{self.venues[a.venue_id].name} holds {self._title(a.meeting_id)} and "
                    f"{self._title(b.meeting_id)} at once ({self._when(a)})",
                    b.meeting_id,
                    venue_id=a.venue_id,
                )
            )
        shared = tuple(sorted(set(a.attendee_ids) & set(b.attendee_ids)))
        if not shared:
            return out
        names = ", ".join(self.people[i].name for i in shared if i in self.people)
        if clash:
            out.append(
                Violation(
                    "double_booking",
                    f"{names} would be in {self._title(a.meeting_id)} ({self._when(a)}) and "
                    f"{self._title(b.meeting_id)} ({self._when(b)}) at once",
                    b.meeting_id,
                    shared,
                )
            )
        elif a.venue_id is not None and b.venue_id is not None and a.venue_id != b.venue_id:
            first, second = (a, b) if a.start < b.start else (b, a)
            assert first.venue_id is not None and second.venue_id is not None
            need = buffer_minutes(self.problem, first.venue_id, second.venue_id)
            if second.start - first.end < timedelta(minutes=need):
                out.append(
                    Violation(
                        "travel_buffer",
                        f"{names} need {need} minutes from {self.venues[first.venue_id].name} "
                        f"to {self.venues[second.venue_id].name} between "
                        f"{self._title(first.meeting_id)} and {self._title(second.meeting_id)}",
                        b.meeting_id,
                        shared,
                    )
                )
        return out

    def daily_limits(self, placements: list[Placement]) -> list[Violation]:
        count: Counter[tuple[int, object]] = Counter()
        for p in placements:
            local = p.start.astimezone(self.timeline.tz).date()
            for person_id in p.attendee_ids:
                count[person_id, local] += 1
        out = []
        for (person_id, day), n in sorted(count.items(), key=lambda kv: str(kv[0])):
            person = self.people.get(person_id)
            limit = person.max_meetings_per_day if person else None
            if limit is not None and n > limit:
                out.append(
                    Violation(
                        "max_meetings_per_day",
                        f"{person.name if person else person_id} has {n} meetings on {day}, "
                        f"more than their limit of {limit}",
                        None,
                        (person_id,),
                    )
                )
        return out

    def placement_against(self, plan: StrategyPlan, placement: Placement) -> list[Violation]:
        """Violations ``placement`` would cause if it replaced its meeting in ``plan``."""
        others = [p for p in plan.placements if p.meeting_id != placement.meeting_id]
        out = self.alone(placement)
        for other in others:
            out += self.pair(other, placement)
        day = placement.start.astimezone(self.timeline.tz).date()
        same_day = [p for p in others if p.start.astimezone(self.timeline.tz).date() == day]
        touched = set(placement.attendee_ids)
        out += [v for v in self.daily_limits([*same_day, placement]) if set(v.person_ids) & touched]
        return out


def validate(problem: StrategyProblem, plan: StrategyPlan) -> list[Violation]:
    """Every hard-rule violation in ``plan``; an empty list means the plan can be published."""
    checker = PlanChecker(problem)
    out: list[Violation] = []
    seen: dict[int, int] = defaultdict(int)
    for p in plan.placements:
        seen[p.meeting_id] += 1
    for meeting_id, n in seen.items():
        if n > 1:
            out.append(
                Violation(
                    "placed_once", f"{checker._title(meeting_id)} is placed {n} times", meeting_id
                )
            )
    for u in plan.unplaced:
        if u.meeting_id in seen:
            out.append(
                Violation(
                    "placed_once",
                    f"{checker._title(u.meeting_id)} is both placed and unplaced",
                    u.meeting_id,
                )
            )
    placements = list(plan.placements)
    for pos, p in enumerate(placements):
        out += checker.alone(p)
        for q in placements[pos + 1 :]:
            out += checker.pair(p, q)
    out += checker.daily_limits(placements)
    return out


def placement_violations(
    problem: StrategyProblem, plan: StrategyPlan, placement: Placement
) -> list[Violation]:
    """Check a hand edit: what breaks if ``placement`` replaces its meeting in ``plan``."""
    return PlanChecker(problem).placement_against(plan, placement)
