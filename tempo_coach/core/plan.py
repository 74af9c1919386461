"""The whole cue timeline of a workout, run instantly on a virtual clock. Pure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from tempo_coach.core.engine import Workout
from tempo_coach.core.events import PhaseStarted, WorkoutDone
from tempo_coach.core.model import Preset
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
        escaping, and json.dumps would be most of the time of a 400 000-row plan."""
        return (
            f'{{"t": {round(self.t, 3)!r}, "phase": "{self.phase.value}", "set": {_json_int(self.set)},'
            f' "rep": {_json_int(self.rep)}, "duration": {round(self.duration, 3)!r}}}\n'
        )


def _json_int(value: int | None) -> str:
    return "null" if value is None else str(value)


def timeline(preset: Preset) -> Iterator[Row]:
    """Every phase of `preset` from start to done, on a clock that jumps from deadline to
    deadline, one row at a time (a 99 x 999 plan starts printing at once)."""
    if preset.reps is None:
        raise Unplannable("amrap sets end when the lifter says so; give --reps N to plan them")
    return _rows(Workout(preset))


def _rows(workout: Workout) -> Iterator[Row]:
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
