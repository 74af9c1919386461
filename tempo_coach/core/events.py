"""What the engine says happened: each event is a frozen value stamped with the time it was due.

`View` is what a screen shows at one instant. Pure values; no behaviour beyond small properties.
"""

from __future__ import annotations

from dataclasses import dataclass

from tempo_coach.core.routine import SetPlan
from tempo_coach.core.tempo import Phase, Tempo


@dataclass(frozen=True)
class PhaseStarted:
    """A phase with a countdown began (zero-length phases produce none)."""

    phase: Phase
    set: int
    rep: int | None
    duration: float
    start: float
    deadline: float
    explosive: bool = False
    fallback: bool = False
    plan: SetPlan | None = None
    """The set this phase belongs to (or counts down to); None only where a test builds a bare event."""


@dataclass(frozen=True)
class RepCompleted:
    set: int
    rep: int
    at: float


@dataclass(frozen=True)
class SetCompleted:
    """A set ended: on its last rep or ended by the lifter with Enter at the end of an amrap set
    (`completed`); ended with Enter before its target (neither flag); or `cut_short` by a quit
    or a signal (the set saved as it stood)."""

    set: int
    """1-based place in the block's run of sets (`plan` says which exercise and set it was)."""
    reps_done: int
    reps_target: int | None
    tut: float
    fallback_rep: int | None
    completed: bool
    at: float
    cut_short: bool = False
    plan: SetPlan | None = None
    """The set as planned: exercise, load, warm-up. None only where a test builds a bare result."""
    next_exercise: str = ""
    """The exercise of the set that follows in the block ('' after the last): what "next" says."""

    @property
    def ended(self) -> str:
        """How the set ended, as the history keeps it: 'completed', 'ended' or 'cut short'."""
        if self.cut_short:
            return "cut short"
        return "completed" if self.completed else "ended"


@dataclass(frozen=True)
class FallbackEngaged:
    """The fallback tempo applies from `rep` on (the rep of the next phase to start)."""

    set: int
    rep: int
    auto: bool
    at: float


@dataclass(frozen=True)
class FallbackReleased:
    set: int
    rep: int
    at: float


@dataclass(frozen=True)
class WorkoutDone:
    at: float
    sets: tuple[SetCompleted, ...]


Event = PhaseStarted | RepCompleted | SetCompleted | FallbackEngaged | FallbackReleased | WorkoutDone


@dataclass(frozen=True)
class View:
    """What a screen shows at one instant: a consistent copy, safe to hand to another thread."""

    phase: Phase
    set: int
    sets: int
    rep: int | None
    reps_done: int
    reps_target: int | None
    duration: float
    remaining: float
    set_elapsed: float
    paused: bool
    fallback_on: bool
    fallback_rep: int | None
    """The first rep of this set the fallback changed (None until it has changed a phase)."""
    fallback_from: int | None
    """While it is on: the first rep it changes (fallback_rep, or the rep it will first change)."""
    explosive: bool
    tempo: Tempo
    results: tuple[SetCompleted, ...]
    plan: SetPlan
    """The set running, counting down to, or (while resting) just done."""
    next_plan: SetPlan | None
    """The set the lifter is waiting for (None after the block's last)."""

    @property
    def progress(self) -> float:
        """How far through the current phase, 0 to 1."""
        return 1.0 if self.duration <= 0 else min(1.0, max(0.0, 1 - self.remaining / self.duration))
