"""The decision variables of the strategy model, owned by one container.

Time is indexed: ``start[m][k]`` is true when meeting m starts at its k-th feasible start.
For rule-"any" meetings the inspector is folded into the start (``start_by[m][k, i]``), so an
inspector's occupation of a slot is a plain sum of booleans: no products, a tight linear
relaxation and a cheap idle-time objective. Venues, optional attendees, parent reps and
pool note-takers are booleans linked to the starts at which they are free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from scheduler.strategy.options import MeetingOptions
from scheduler.strategy.plan import Placement
from scheduler.strategy.problem import StrategyProblem
from scheduler.strategy.timeline import Timeline

Literal = cp_model.IntVar


class StrategyVariables:
    def __init__(
        self,
        model: cp_model.CpModel,
        problem: StrategyProblem,
        timeline: Timeline,
        options: Mapping[int, MeetingOptions],
    ) -> None:
        self.model = model
        self.problem = problem
        self.timeline = timeline
        self.options = options
        self.start: dict[int, list[Literal]] = {}
        self.start_by: dict[int, dict[tuple[int, int], Literal]] = {}
        self.placed: dict[int, Literal] = {}
        self.start_index: dict[int, cp_model.IntVar] = {}
        self.venue: dict[int, dict[int, Literal]] = {}
        self.inspector: dict[int, dict[int, Literal]] = {}
        self.note_taker: dict[int, dict[int, Literal]] = {}
        self.optional: dict[int, dict[int, Literal]] = {}
        self.frontline: dict[int, dict[int, Literal]] = {}
        self.rep: dict[int, dict[int, Literal]] = {}
        for meeting_id, option in options.items():
            if option.starts:
                self._add_meeting(meeting_id, option)

    # -- creation -------------------------------------------------------------------------

    def _linked_choice(
        self, meeting_id: int, free: Mapping[int, set[int]], label: str
    ) -> dict[int, Literal]:
        """One boolean per person, true only at a start where that person is free."""
        chosen = {}
        starts = self.start[meeting_id]
        for person_id, ok in free.items():
            var = self.model.new_bool_var(f"{label}_m{meeting_id}_p{person_id}")
            if len(ok) < len(starts):
                self.model.add(var <= sum(starts[k] for k in ok))
            else:
                self.model.add(var <= self.placed[meeting_id])
            chosen[person_id] = var
        return chosen

    def _add_meeting(self, m: int, option: MeetingOptions) -> None:
        model = self.model
        starts = [model.new_bool_var(f"x_m{m}_k{k}") for k in range(len(option.starts))]
        self.start[m] = starts
        placed = model.new_bool_var(f"placed_m{m}")
        model.add(sum(starts) == placed)
        if m in self.problem.pinned_ids and self.problem.previous is not None:
            # A pinned item that still fits stays; only new items give way to it.
            if self.problem.previous.placement(m) is not None:
                model.add(placed == 1)
        self.placed[m] = placed
        slots = [s.slot.index for s in option.starts]
        index = model.new_int_var(0, max(slots), f"start_m{m}")
        model.add(index == sum(g * x for g, x in zip(slots, starts, strict=True)))
        self.start_index[m] = index

        meeting = option.meeting
        if meeting.inspector_rule == "any":
            by: dict[tuple[int, int], Literal] = {}
            per_start: dict[int, list[Literal]] = defaultdict(list)
            per_inspector: dict[int, list[Literal]] = defaultdict(list)
            for i, ok in option.any_inspectors.items():
                for k in ok:
                    var = model.new_bool_var(f"x_m{m}_k{k}_i{i}")
                    by[k, i] = var
                    per_start[k].append(var)
                    per_inspector[i].append(var)
            for k, x in enumerate(starts):
                model.add(x == sum(per_start[k]))
            self.start_by[m] = by
            self.inspector[m] = {}
            for i, vs in per_inspector.items():
                var = model.new_bool_var(f"ins_m{m}_i{i}")
                model.add(var == sum(vs))
                self.inspector[m][i] = var

        self.venue[m] = {}
        for v, ok in option.venues.items():
            var = model.new_bool_var(f"y_m{m}_v{v}")
            self.venue[m][v] = var
            for k in range(len(starts)):
                if k not in ok:
                    model.add_implication(var, ~starts[k])
        if not meeting.online:
            model.add(sum(self.venue[m].values()) == placed)

        if meeting.note_taker_id is None:
            self.note_taker[m] = self._linked_choice(m, option.pool_note_takers, "nt")
            model.add(sum(self.note_taker[m].values()) == placed)
        self.optional[m] = self._linked_choice(m, option.optional, "opt")
        self.frontline[m] = self._linked_choice(m, option.frontline, "fl")
        self.rep[m] = self._linked_choice(m, option.reps, "rep")
        if self.rep[m]:
            model.add(sum(self.rep[m].values()) <= meeting.parent_reps_wanted * placed)

    # -- queries used by constraint and objective modules ---------------------------------

    def attendance(self, m: int) -> dict[int, Literal]:
        """Every person who may attend meeting m, with the literal that says they do."""
        option = self.options[m]
        people: dict[int, Literal] = {}
        for groups in (
            self.note_taker.get(m, {}),
            self.rep.get(m, {}),
            self.frontline.get(m, {}),
            self.optional.get(m, {}),
            self.inspector.get(m, {}),
        ):
            people.update(groups)
        for p in option.hard_people:
            people[p] = self.placed[m]
        return people

    def free_starts(self, m: int, person_id: int) -> set[int]:
        """Start indices of meeting m at which ``person_id`` could be in it."""
        option = self.options[m]
        if person_id in option.hard_people:
            return set(range(len(option.starts)))
        if person_id in self.inspector.get(m, {}):
            return {k for k, i in self.start_by[m] if i == person_id}
        for group in (option.pool_note_takers, option.reps, option.frontline, option.optional):
            if person_id in group:
                return group[person_id]
        return set()

    def inspector_presence(self, m: int, inspector_id: int) -> Literal | None:
        if inspector_id in self.options[m].hard_people:
            return self.placed[m]
        return self.inspector.get(m, {}).get(inspector_id)

    def starts_on_day(self, m: int, day: int) -> list[Literal]:
        return [
            x
            for x, s in zip(self.start[m], self.options[m].starts, strict=True)
            if s.slot.day == day
        ]

    def inspector_starts(self, m: int, inspector_id: int) -> list[tuple[int, Literal]]:
        """(start index, literal) pairs that put ``inspector_id`` into meeting m."""
        if inspector_id in self.options[m].hard_people:
            return list(enumerate(self.start[m]))
        return [(k, var) for (k, i), var in self.start_by.get(m, {}).items() if i == inspector_id]

    def covering(self, m: int, pairs: list[tuple[int, Literal]]) -> dict[int, list[Literal]]:
        """Global slot -> literals among ``pairs`` whose start makes m occupy that slot."""
        option = self.options[m]
        cover: dict[int, list[Literal]] = defaultdict(list)
        for k, var in pairs:
            first = option.starts[k].slot.index
            for g in range(first, first + option.span):
                cover[g].append(var)
        return cover

    def decisions(self, m: int) -> list[Literal]:
        """Every choice made for meeting m (time, inspectors, venue, who attends): fixing
        these fixes the meeting, and the auxiliary variables follow from them."""
        out = [self.placed[m], *self.start[m], *self.start_by.get(m, {}).values()]
        out += self.inspector.get(m, {}).values()
        out += self.venue[m].values()
        for group in (self.note_taker, self.optional, self.frontline, self.rep):
            out += group.get(m, {}).values()
        return out

    # -- hints and extraction -------------------------------------------------------------

    def hint(self, placements: list[Placement]) -> None:
        """Hint a whole plan (greedy baseline or the previous version) as a starting point."""
        by_meeting = {p.meeting_id: p for p in placements}
        for m, starts in self.start.items():
            p = by_meeting.get(m)
            option = self.options[m]
            chosen = -1
            if p is not None:
                for k, s in enumerate(option.starts):
                    if s.start == p.start:
                        chosen = k
            self.model.add_hint(self.placed[m], chosen >= 0)
            for k, x in enumerate(starts):
                self.model.add_hint(x, k == chosen)
            people = set(p.attendee_ids) if p is not None and chosen >= 0 else set()
            for (k, i), var in self.start_by.get(m, {}).items():
                self.model.add_hint(var, k == chosen and i in people)
            for i, var in self.inspector.get(m, {}).items():
                self.model.add_hint(var, i in people)
            venue = p.venue_id if p is not None and chosen >= 0 else None
            for v, var in self.venue[m].items():
                self.model.add_hint(var, v == venue)
            for group in (self.note_taker, self.optional, self.frontline, self.rep):
                for person, var in group.get(m, {}).items():
                    self.model.add_hint(var, person in people)

    def extract(self, solution: Sequence[int]) -> list[Placement]:
        """The plan a full solution describes (values indexed like the model's variables:
        a solver response, a completed hint, or an LNS incumbent)."""

        def value(var: Literal) -> int:
            return solution[var.index]

        placements = []
        for m, starts in self.start.items():
            if not value(self.placed[m]):
                continue
            option = self.options[m]
            k = next(k for k, x in enumerate(starts) if value(x))
            meeting = option.meeting

            def chosen(group: Mapping[int, Literal]) -> tuple[int, ...]:
                return tuple(sorted(p for p, v in group.items() if value(v)))

            inspectors = [i for i in self.problem.inspector_ids if i in option.hard_people]
            inspectors += chosen(self.inspector.get(m, {}))
            venue = next((v for v, y in self.venue[m].items() if value(y)), None)
            note_taker = meeting.note_taker_id
            if note_taker is None:
                note_taker = chosen(self.note_taker[m])[0]
            placements.append(
                Placement(
                    meeting_id=m,
                    start=option.starts[k].start,
                    end=option.starts[k].end,
                    venue_id=venue,
                    inspector_ids=tuple(sorted(inspectors)),
                    required_ids=meeting.required_ids,
                    optional_ids=chosen(self.optional[m]),
                    frontline_ids=chosen(self.frontline[m]),
                    parent_rep_ids=chosen(self.rep[m]),
                    note_taker_id=note_taker,
                )
            )
        return sorted(placements, key=lambda p: (p.start, p.meeting_id))
