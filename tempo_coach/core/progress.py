"""Progress over weeks: what a session's sets add up to, and what to lift next time. Pure.

The rule is double progression on the target reps, with the fallback rep as the tempo signal (the
README's "Progress" section says it in words; keep the two the same):

- Only working sets that count are judged: never a warm-up, a set cut short (a quit or a signal) or
  a set of 0 reps. A session with no such set is skipped.
- **Drop** one increment when the first counted set of each of the last two sessions was short of its
  target by more than two reps.
- **Add** one increment when, in the last session, every counted set reached its target and, when the
  preset's fallback switches itself on after `after_rep`, the slow positive held to that rep in every
  one of them (the fallback first changed a rep after `after_rep`, or never; in a set whose goal is
  below `after_rep`, held to its goal).
- Otherwise **keep**, saying what held it back: the first set short of its goal, else the first whose
  slow positive gave way before its aim.
- An amrap set has no target: its goal is the preset's `after_rep` (the slow tempo was meant to last
  that long), else `AMRAP_GOAL` reps; and only the first counted set of an amrap session is judged
  (later amrap sets fall off as the lifter tires, by design).
- The load to change is the heaviest counted set's of the last session. A bodyweight load is never
  given a number: where the rule would add or drop, the suggestion keeps it and asks for a rep more
  (or fewer reps at the tempo) instead.
- With no counted set at all: "start", and no load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from tempo_coach.core.load import Load, Unit, increment_for
from tempo_coach.core.text import plural

AMRAP_GOAL = 12
"""The rep goal of an amrap set when the preset's fallback does not set one."""
SHORT_BY = 2
"""A first set more than this many reps short of its target, two sessions running, drops the load."""
CUT_SHORT = "cut short"
_KG_PER_LB = 0.45359237

Change = Literal["add", "keep", "drop", "start"]


@dataclass(frozen=True)
class SetResult:
    """One set as the history keeps it. `fallback_rep`: the first rep the fallback tempo changed
    (None: the slow positive held to the end). `ended`: 'completed', 'ended' or 'cut short'."""

    reps_done: int
    reps_target: int | None
    fallback_rep: int | None = None
    load: Load | None = None
    warmup: bool = False
    ended: str = "completed"
    counts: bool = field(init=False, repr=False, compare=False)
    """Whether this set is judged at all: a working set, not cut short, with reps in it (worked
    out once: a long history asks it of every set several times)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", not self.warmup and self.ended != CUT_SHORT and self.reps_done > 0)

    @property
    def held_to(self) -> int:
        """The last rep done at the slow tempo."""
        return self.reps_done if self.fallback_rep is None else min(self.reps_done, self.fallback_rep - 1)


@dataclass(frozen=True)
class Suggestion:
    """What to lift next time, and why in one plain sentence."""

    load: Load | None
    change: Change
    reason: str


def counted(sets: Sequence[SetResult]) -> list[SetResult]:
    return [s for s in sets if s.counts]


def epley(amount: float, reps: int) -> float:
    """Estimated one-rep max (Epley): load × (1 + reps / 30). An estimate, never a measured max."""
    return amount * (1 + reps / 30)


@dataclass(frozen=True)
class Figures:
    """What a session's counted sets add up to."""

    top_load: Load | None
    """The heaviest load (kg and lb compared as kg; bodyweight as its added load, below any load on the bar)."""
    volume: float | None
    """Load × reps summed over the sets with a number on the bar; None when none has one (bodyweight,
    or no load recorded)."""
    estimated_1rm: float | None
    """The best set's Epley estimate (`epley`); None when no set has a number on the bar."""


def figures(sets: Sequence[SetResult]) -> Figures:
    """The figures of the counted sets among `sets`, in one pass (a long history has many sessions)."""
    top: Load | None = None
    heaviest = (False, 0.0)
    volume: float | None = None
    best: float | None = None
    for result in sets:
        load = result.load
        if not result.counts or load is None:
            continue
        weight = (not load.bodyweight, _as_kg(load))
        if top is None or weight > heaviest:
            top, heaviest = load, weight
        if not load.bodyweight:
            volume = (volume or 0.0) + load.amount * result.reps_done
            estimate = epley(load.amount, result.reps_done)
            best = estimate if best is None else max(best, estimate)
    return Figures(top, None if volume is None else round(volume, 3), None if best is None else round(best, 1))


def _as_kg(load: Load) -> float:
    return load.amount * (_KG_PER_LB if load.unit is Unit.LB else 1.0)


def suggest(sessions: Sequence[Sequence[SetResult]], after_rep: int | None, increment: float | None = None) -> Suggestion:
    """Next time's load from `sessions` (oldest first, each a session's sets), the preset's fallback
    `after_rep` (None: no automatic fallback) and its `increment` (None: the unit's default)."""
    judged = [sets for sets in (counted(s) for s in sessions) if sets]
    if not judged:
        return Suggestion(None, "start", "No working sets recorded yet: start with a load you can lift for every target rep at the tempo.")
    last = judged[-1]
    load = figures(last).top_load
    if len(judged) >= 2 and all(_short(sets[0], after_rep) for sets in judged[-2:]):
        firsts = ", ".join(f"{sets[0].reps_done} of {_goal(sets[0], after_rep)}" for sets in judged[-2:])
        return _changed(load, -1, increment, f"the first set was more than {SHORT_BY} reps short two sessions running ({firsts})")
    holdback = _holdback(last, after_rep)
    if holdback is None:
        goal = _goal(last[0], after_rep)
        which = "the first set reached its amrap goal of" if last[0].reps_target is None else "every set reached its"
        aim = None if after_rep is None else min(after_rep, goal)
        held = "" if aim is None else " with the slow positive held all the way" if aim == goal else f" with the slow positive held to rep {aim}"
        return _changed(load, 1, increment, f"{which} {plural(goal, 'rep')}{held}")
    return Suggestion(load, "keep", f"Keep {_shown(load)}: {holdback}.")


def _goal(result: SetResult, after_rep: int | None) -> int:
    if result.reps_target is not None:
        return result.reps_target
    return after_rep if after_rep is not None else AMRAP_GOAL


def _short(result: SetResult, after_rep: int | None) -> bool:
    return _goal(result, after_rep) - result.reps_done > SHORT_BY


def _holdback(sets: list[SetResult], after_rep: int | None) -> str | None:
    """The first reason the last session does not earn more weight, or None when it does. The
    tempo's aim is `after_rep`, or the whole set when its goal is smaller."""
    judged = sets[:1] if sets[0].reps_target is None else sets
    for number, result in enumerate(judged, start=1):
        goal = _goal(result, after_rep)
        if result.reps_done < goal:
            return f"set {number}: {result.reps_done} of {goal} reps"
    if after_rep is None:
        return None
    for number, result in enumerate(judged, start=1):
        aim = min(after_rep, _goal(result, after_rep))
        if result.fallback_rep is not None and result.fallback_rep <= aim:
            return f"set {number}: slow positive held only to rep {result.held_to} (aim: {aim})"
    return None


def _changed(load: Load | None, steps: int, increment: float | None, why: str) -> Suggestion:
    change: Change = "add" if steps > 0 else "drop"
    if load is None:
        return Suggestion(None, change, f"{change.capitalize()} one increment: {why}.")
    if load.bodyweight:
        aim = "aim for one more rep a set" if steps > 0 else "aim for the reps you can do at the tempo"
        return Suggestion(load, "keep", f"Keep {load}, {aim}: {why}.")
    step = increment_for(load.unit, increment)
    new = load.stepped(steps, step)
    return Suggestion(new, change, f"{change.capitalize()} {step:g} {load.unit.value} ({new}): {why}.")


def _shown(load: Load | None) -> str:
    return "the load" if load is None else str(load)
