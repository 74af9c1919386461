"""The whole cue timeline of a workout, run instantly on a virtual clock. Pure."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import NamedTuple

from tempo_coach.core.engine import Workout
from tempo_coach.core.events import PhaseStarted, WorkoutDone
from tempo_coach.core.model import Lasts, Preset
from tempo_coach.core.tempo import Phase


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

    def json_line(self) -> str:
        """The row as one line of JSON, written out directly: numbers, null and a phase name need no
        escaping, and json.dumps would be most of the time of a 400 000-row plan. The duration is
        whole milliseconds / 1000 already; `t` is rounded, as adding up floats can leave a tail."""
        set_, rep = self.set, self.rep
        return (
            f'{{"t": {round(self.t, 3)}, "phase": "{_NAMES[self.phase]}", "set": {"null" if set_ is None else set_},'
            f' "rep": {"null" if rep is None else rep}, "duration": {self.duration}}}\n'
        )


_NAMES = {phase: phase.value for phase in Phase}


def timeline(preset: Preset) -> Iterator[Row]:
    """Every phase of `preset` from start to done, one row at a time (a 99 x 999 plan starts
    printing at once, and is whole in well under a second)."""
    if preset.reps is None:
        raise Unplannable("amrap sets end when the lifter says so; give --reps N to plan them")
    if preset.sets > 2 and _sets_repeat(preset):
        return _repeated(preset)
    return _rows(Workout(preset))


def _sets_repeat(preset: Preset) -> bool:
    """Whether every set starts in the same state: so when no fallback carries over from one set
    to the next. The engine is pure, so such sets run the same phases, only later."""
    return preset.fallback is None or preset.fallback.lasts is Lasts.SET


def _repeated(preset: Preset) -> Iterator[Row]:
    """The engine runs two sets; the first (with its rest) is repeated for every set but the last,
    shifted by its length, and the second stands for the last. `tests/test_plan.py` holds this to
    the engine run in full."""
    two = list(_rows(Workout(dataclasses.replace(preset, sets=2))))
    split = next(i for i, row in enumerate(two) if row.set == 2)
    first, last, period = two[:split], two[split:], two[split].t
    for k in range(preset.sets - 1):
        shift = k * period
        yield from (Row(row.t + shift, row.phase, k + 1, row.rep, row.duration) for row in first)
    shift, later = (preset.sets - 2) * period, preset.sets - 2
    yield from (Row(row.t + shift, row.phase, None if row.set is None else row.set + later, row.rep, row.duration) for row in last)


def _rows(workout: Workout) -> Iterator[Row]:
    """The engine run from start to done on a clock that jumps from deadline to deadline."""
    events = workout.start(0.0)
    while True:
        for event in events:
            if isinstance(event, PhaseStarted):
                yield Row(event.start, event.phase, event.set, event.rep, event.duration)
            elif isinstance(event, WorkoutDone):
                yield Row(event.at, Phase.DONE, None, None, 0.0)
                return
        deadline = workout.next_deadline
        assert deadline is not None  # not done, so a deadline is ahead
        events = workout.advance(deadline)
