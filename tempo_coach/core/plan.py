"""The whole cue timeline of a workout or a routine, run instantly on a virtual clock. Pure."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import NamedTuple

from tempo_coach.core.engine import Workout
from tempo_coach.core.events import PhaseStarted, WorkoutDone
from tempo_coach.core.model import Lasts, Preset
from tempo_coach.core.routine import Block, Routine, SetPlan, block_plans, rest_before_next, single
from tempo_coach.core.tempo import REP_PHASES, Phase


class Unplannable(ValueError):
    """The preset has no fixed timeline to print (an amrap set ends when the lifter says so)."""


class Row(NamedTuple):
    """One phase of the timeline; `t` is seconds from the start of the workout. A named tuple: a
    99 x 999 plan makes 400 000 of them, and a tuple is made in a third of a frozen dataclass's time."""

    t: float
    phase: Phase
    set: int | None
    rep: int | None
    duration: float
    exercise: str = ""
    warmup: bool = False

    def json_line(self) -> str:
        """The row as one line of JSON, written out directly: numbers, null and a phase name need no
        escaping, and json.dumps would be most of the time of a 400 000-row plan. The duration is
        whole milliseconds / 1000 already; `t` is rounded, as adding up floats can leave a tail."""
        set_, rep = self.set, self.rep
        return (
            f'{{"t": {round(self.t, 3)}, "phase": "{_NAMES[self.phase]}", "set": {"null" if set_ is None else set_},'
            f' "rep": {"null" if rep is None else rep}, "duration": {self.duration}, "exercise": {_quoted(self.exercise)},'
            f' "warmup": {"true" if self.warmup else "false"}}}\n'
        )


_NAMES = {phase: phase.value for phase in Phase}
_QUOTED: dict[str, str] = {}
_REP_PHASES = frozenset(REP_PHASES)


def _quoted(text: str) -> str:
    """`text` as a JSON string, made once per exercise name."""
    if text not in _QUOTED:
        _QUOTED[text] = json.dumps(text)
    return _QUOTED[text]


def timeline(preset: Preset) -> Iterator[Row]:
    """Every phase of `preset` from start to done, one row at a time (a 99 x 999 plan starts
    printing at once, and is whole in well under a second)."""
    return block_timeline(block_plans(single(preset)))


def routine_timeline(routine: Routine) -> Iterator[Row]:
    """Every phase of every block of `routine`, with the rest between blocks, to the last DONE."""
    for block in routine.blocks:
        _plannable(block_plans(block))
    return _routine_rows(routine.blocks)


def _routine_rows(blocks: tuple[Block, ...]) -> Iterator[Row]:
    offset = 0.0
    for number, block in enumerate(blocks, start=1):
        for row in block_timeline(block_plans(block)):
            if row.phase is Phase.DONE and number < len(blocks):
                offset = row.t + offset
                rest = rest_before_next(block) / 1000
                yield Row(offset, Phase.REST, None, None, rest, row.exercise)
                offset += rest
                break
            yield row._replace(t=row.t + offset)


def block_timeline(plans: tuple[SetPlan, ...]) -> Iterator[Row]:
    """Every phase of one block of sets, from its get-ready to done."""
    _plannable(plans)
    if len(plans) > 2 and _sets_repeat(plans):
        return _repeated(plans)
    return _rows(Workout(plans))


def _plannable(plans: tuple[SetPlan, ...]) -> None:
    amrap = next((plan for plan in plans if plan.reps is None), None)
    if amrap is not None:
        raise Unplannable(f"{amrap.exercise}: amrap sets end when the lifter says so; give them reps to plan them (--reps N, or reps: N in a routine)")


def _sets_repeat(plans: tuple[SetPlan, ...]) -> bool:
    """Whether every set runs the same phases, only later: one preset's working sets with the same
    reps and rest, and no fallback carried over from one set to the next. The engine is pure."""
    first = plans[0]
    same = all(p.preset is first.preset and p.reps == first.reps and not p.warmup for p in plans)
    rests = {p.rest_after_ms for p in plans[:-1]}
    fallback = first.preset.fallback
    return same and len(rests) == 1 and (fallback is None or fallback.lasts is Lasts.SET)


def _repeated(plans: tuple[SetPlan, ...]) -> Iterator[Row]:
    """The engine runs two sets; the second set's lead-in and the first set with its rest are
    repeated for every set but the last, shifted by their length, and the second set stands for
    the last. `tests/test_plan.py` holds this to the engine run in full."""
    two = list(_rows(Workout((plans[0], dataclasses.replace(plans[-1], number=2)))))
    first_rep = _first_rep_row(two, 1)
    second_rep = _first_rep_row(two, 2)
    head, period = two[:first_rep], two[second_rep].t - two[first_rep].t
    unit, last = two[first_rep:second_rep], two[second_rep:]
    yield from head
    for k in range(len(plans) - 1):
        yield from (_shifted(row, k * period, k) for row in unit)
    yield from (_shifted(row, (len(plans) - 2) * period, len(plans) - 2) for row in last)


def _shifted(row: Row, seconds: float, sets: int) -> Row:
    return row._replace(t=row.t + seconds, set=None if row.set is None else row.set + sets)


def _first_rep_row(rows: list[Row], set_: int) -> int:
    return next(i for i, row in enumerate(rows) if row.set == set_ and row.phase in _REP_PHASES)


def _rows(workout: Workout) -> Iterator[Row]:
    """The engine run from start to done on a clock that jumps from deadline to deadline."""
    events = workout.start(0.0)
    while True:
        for event in events:
            if isinstance(event, PhaseStarted):
                plan = event.plan
                assert plan is not None  # the engine names every phase's set
                yield Row(event.start, event.phase, plan.number, event.rep, event.duration, plan.exercise, plan.warmup)
            elif isinstance(event, WorkoutDone):
                yield Row(event.at, Phase.DONE, None, None, 0.0, workout.plan.exercise)
                return
        deadline = workout.next_deadline
        assert deadline is not None  # not done, so a deadline is ahead
        events = workout.advance(deadline)


MAX_TIMED_REPS = 5000
"""A routine with more reps than this is not timed: the plan of 50 blocks of 99 × 999 reps would
take minutes, and a real session has a few hundred."""


class TooManyReps(Unplannable):
    """The routine has more than MAX_TIMED_REPS reps: too many to plan just to show its time."""


def routine_seconds(routine: Routine) -> float:
    """The whole session from the first get-ready to the last rep, in seconds (`presets` and the
    start screen show it). Raises Unplannable for an amrap set, TooManyReps past MAX_TIMED_REPS."""
    rows = routine_timeline(routine)
    reps = sum(plan.reps or 0 for block in routine.blocks for plan in block_plans(block))
    if reps > MAX_TIMED_REPS:
        raise TooManyReps(f"more than {MAX_TIMED_REPS} reps")
    end = 0.0
    for row in rows:
        end = row.t + row.duration
    return end
