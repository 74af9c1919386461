"""The whole cue timeline of a workout, run instantly on a virtual clock. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from tempo_coach.core.engine import Workout
from tempo_coach.core.events import Event, PhaseStarted, SetCompleted, WorkoutDone
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import Phase



class Unplannable(ValueError):
    """The preset has no fixed timeline to print (an amrap set ends when the lifter says so)."""

@dataclass(frozen=True)
class Row:
    """One phase of the timeline; `t` is seconds from the start of the workout."""

    t: float
    phase: Phase
    set: int | None
    rep: int | None
    duration: float

    def as_json(self) -> dict[str, object]:
        return {"t": round(self.t, 3), "phase": self.phase.value, "set": self.set, "rep": self.rep, "duration": round(self.duration, 3)}


@dataclass(frozen=True)
class Plan:
    rows: tuple[Row, ...]
    sets: tuple[SetCompleted, ...]

    @property
    def total(self) -> float:
        return self.rows[-1].t

    @property
    def time_under_tension(self) -> float:
        return sum(s.tut for s in self.sets)


def plan(preset: Preset) -> Plan:
    """Run `preset` from start to done on a clock that jumps from deadline to deadline."""
    if preset.reps is None:
        raise Unplannable("amrap sets end when the lifter says so; give --reps N to plan them")
    workout = Workout(preset)
    events = workout.start(0.0)
    while (deadline := workout.next_deadline) is not None:
        events += workout.advance(deadline)
    rows = tuple(row for event in events if (row := _row(event)))
    return Plan(rows, workout.results)


def _row(event: Event) -> Row | None:
    if isinstance(event, PhaseStarted):
        return Row(event.start, event.phase, event.set, event.rep, event.duration)
    if isinstance(event, WorkoutDone):
        return Row(event.at, Phase.DONE, None, None, 0.0)
    return None
