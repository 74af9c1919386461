"""The phase state machine. Pure: time is an argument; no sleeps, threads, Textual or audio.

A workout runs a block's sets (`core.routine.SetPlan`): not started -> get ready -> set (reps of
negative, bottom hold, positive, top hold) -> rest -> next set -> ... -> done. The rest counts down to
the next set itself; a get-ready comes again only where its preset asks (`get_ready_after_rest`),
where no rest comes between two sets (a superset's next exercise), or where the lifter cuts the rest
short (`SKIP`: time to get to the machine). Every deadline is `anchor + offset_ms / 1000`,
where the anchor is the start of the current segment (a get-ready, a set or a rest) on a monotonic
clock and the offsets are whole milliseconds added exactly, so an hour of reps never drifts.
Pausing shifts the anchor by the time spent paused.

Callers drive it with `advance(now)`, which performs every transition due by `now` and returns the
events it produced, each stamped with the time it was due (not the time it was noticed). The
lifter's actions go through `act(action, now)`: it first advances to `now`, then looks the action
up in one table (`LEGAL`) and either performs it or refuses it, changing nothing. Either way the
`Outcome` carries every event of the catch-up, so no caller can drop them (h11's style).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from enum import Enum

from tempo_coach.core.events import (
    Event,
    FallbackEngaged,
    FallbackReleased,
    PhaseStarted,
    RepCompleted,
    SetCompleted,
    View,
    WorkoutDone,
)
from tempo_coach.core.load import Load
from tempo_coach.core.model import Fallback, Lasts, Preset
from tempo_coach.core.routine import SetPlan, block_plans, single
from tempo_coach.core.tempo import NEVER_ENDS, REP_PHASES, Phase, Tempo, seconds_to_ms

COUNTDOWN_PHASES = (Phase.GET_READY, Phase.REST)
RUNNING_PHASES = (Phase.GET_READY, *REP_PHASES, Phase.REST)


class Action(str, Enum):
    """What the lifter can do to a running workout."""

    PAUSE = "pause"
    RESUME = "resume"
    TOGGLE_PAUSE = "toggle_pause"
    TOGGLE_FALLBACK = "toggle_fallback"
    END_SET = "end_set"
    SKIP = "skip"
    """End the rest, or the get-ready countdown, now."""
    REST_LONGER = "rest_longer"
    REST_SHORTER = "rest_shorter"


LEGAL: dict[Action, tuple[frozenset[Phase], str]] = {
    Action.PAUSE: (frozenset(RUNNING_PHASES), "nothing to pause"),
    Action.RESUME: (frozenset(RUNNING_PHASES), "nothing to resume"),
    Action.TOGGLE_PAUSE: (frozenset(RUNNING_PHASES), "nothing to pause"),
    Action.TOGGLE_FALLBACK: (frozenset(RUNNING_PHASES), "the workout is not running"),
    Action.END_SET: (frozenset(REP_PHASES), "no set in progress"),
    Action.SKIP: (frozenset(COUNTDOWN_PHASES), "not resting or getting ready"),
    Action.REST_LONGER: (frozenset({Phase.REST}), "not resting"),
    Action.REST_SHORTER: (frozenset({Phase.REST}), "not resting"),
}
"""Which action applies in which phase, and what the lifter is told when it does not: checked
before anything changes. `_refusal` adds the few rules that are not about the phase."""


class InvalidAction(Exception):
    """The workout cannot do this now (starting it twice); nothing changed."""


@dataclass(frozen=True)
class Outcome:
    """What an action did: every event due by its time (the catch-up), then the action's own."""

    events: tuple[Event, ...]
    refused: str | None = None
    """Why the action did not apply (it changed nothing); None when it was performed."""


@dataclass
class _State:
    phase: Phase = Phase.NOT_STARTED
    set: int = 1
    rep: int | None = None
    reps_done: int = 0
    anchor: float = 0.0
    start_ms: int = 0
    end_ms: int = 0
    paused_at: float | None = None
    fallback_on: bool = False
    fallback_rep: int | None = None
    auto_fallback_done: bool = False
    current: PhaseStarted | None = None
    results: list[SetCompleted] = field(default_factory=list)


REST_STEP_MS = 15_000
"""What one press of +15 s / -15 s changes the rest by."""


class Workout:
    """One run of a block of sets (`core.routine`), from the first get-ready countdown to done.
    Given a preset, it runs that preset's sets."""

    def __init__(self, sets: Preset | tuple[SetPlan, ...]) -> None:
        plans = block_plans(single(sets)) if isinstance(sets, Preset) else sets
        if not plans:
            raise ValueError("a workout needs at least one set")
        for plan in plans:
            zero = plan.preset.zero_rep_tempo()
            if zero is not None:
                raise ValueError(f"tempo {zero} {NEVER_ENDS}")
        self.plans = plans
        self._fallback_tempos = {id(plan.preset): plan.preset.fallback_tempo for plan in plans}
        self._s = _State()

    # ---- what callers read -------------------------------------------------------------------

    @property
    def phase(self) -> Phase:
        return self._s.phase

    @property
    def plan(self) -> SetPlan:
        """The set running, counting down to, or (while resting) just done."""
        return self.plans[self._s.set - 1]

    @property
    def preset(self) -> Preset:
        """The preset pacing the current set."""
        return self.plan.preset

    @property
    def next_plan(self) -> SetPlan | None:
        """The set the lifter is waiting for: the current one before it starts, else the one after."""
        s = self._s
        if s.phase in (Phase.NOT_STARTED, Phase.GET_READY):
            return self.plan
        return self.plans[s.set] if s.set < len(self.plans) else None

    @property
    def started(self) -> bool:
        return self.phase is not Phase.NOT_STARTED

    @property
    def done(self) -> bool:
        return self.phase is Phase.DONE

    @property
    def paused(self) -> bool:
        return self._s.paused_at is not None

    @property
    def in_set(self) -> bool:
        return self.phase in REP_PHASES

    @property
    def reps_done(self) -> int:
        return self._s.reps_done

    @property
    def fallback_on(self) -> bool:
        return self._s.fallback_on

    @property
    def current(self) -> PhaseStarted | None:
        """The phase now running, as it was announced."""
        return self._s.current

    @property
    def results(self) -> tuple[SetCompleted, ...]:
        return tuple(self._s.results)

    @property
    def next_deadline(self) -> float | None:
        """When the next transition is due; None when paused, done or not started."""
        s = self._s
        if s.paused_at is not None or s.phase not in RUNNING_PHASES:
            return None
        return self._at(s.end_ms)

    def remaining(self, now: float) -> float:
        """Seconds left in the current phase (frozen while paused)."""
        s = self._s
        if s.phase not in RUNNING_PHASES:
            return 0.0
        clock = s.paused_at if s.paused_at is not None else now
        return max(0.0, self._at(s.end_ms) - clock)

    def set_elapsed(self, now: float) -> float:
        """Active seconds since the current set started (time under tension so far)."""
        s = self._s
        if s.phase not in REP_PHASES:
            return 0.0
        clock = s.paused_at if s.paused_at is not None else now
        return max(0.0, clock - s.anchor)

    def tempo_now(self) -> Tempo:
        """The tempo the next phase will use: the fallback's while it is on."""
        fallback_tempo = self._fallback_tempos[id(self.preset)]
        if fallback_tempo is not None and self.fallback_on:
            return fallback_tempo
        return self.preset.tempo

    def refusal(self, action: Action) -> str | None:
        """Why `action` would be refused in the current state (None: it applies). Does not advance:
        `act` asks this after catching up."""
        phases, reason = LEGAL[action]
        if self.phase not in phases:
            return reason
        if action is Action.PAUSE and self.paused:
            return "already paused"
        if action is Action.RESUME and not self.paused:
            return "not paused"
        if action is Action.TOGGLE_FALLBACK and self.preset.fallback is None:
            return f"preset {self.preset.id!r} has no fallback"
        return None

    def partial_set(self, now: float) -> SetCompleted | None:
        """The set in progress as if cut short now (for saving on quit); None outside a set."""
        if not self.in_set:
            return None
        return self._set_result(now, self.set_elapsed(now), completed=False, cut_short=True)

    def view(self, now: float) -> View:
        """A consistent copy of what the screens show at `now`."""
        s, current = self._s, self.current
        return View(
            phase=s.phase,
            set=self.plan.number,
            sets=self.plan.of,
            rep=s.rep,
            reps_done=s.reps_done,
            reps_target=self.plan.reps,
            duration=current.duration if current and current.phase is s.phase else 0.0,
            remaining=self.remaining(now),
            set_elapsed=self.set_elapsed(now),
            paused=self.paused,
            fallback_on=self.fallback_on,
            fallback_rep=s.fallback_rep,
            fallback_from=self._fallback_from(),
            explosive=bool(current and current.explosive and current.phase is s.phase),
            tempo=self._tempo_shown(),
            results=self.results,
            plan=self.plan,
            next_plan=self.next_plan,
        )

    def lookahead(self, until: float) -> list[Event]:
        """The events due by `until` if the lifter does nothing; this workout is unchanged."""
        twin = copy.copy(self)
        twin._s = dataclasses.replace(self._s, results=list(self._s.results))  # the rest are immutable values
        return twin.advance(until)

    # ---- driving it --------------------------------------------------------------------------

    def start(self, now: float) -> list[Event]:
        """Begin with the first get-ready countdown at `now`."""
        if self.started:
            raise InvalidAction("the workout has already started")
        self._s.anchor = now
        events = self._enter_get_ready(1, now)
        return events + self.advance(now)

    def advance(self, now: float) -> list[Event]:
        """Perform every transition due by `now`; events carry the time they were due."""
        events: list[Event] = []
        while (deadline := self.next_deadline) is not None and deadline <= now:
            events += self._finish_phase(deadline)
        return events

    def act(self, action: Action, now: float) -> Outcome:
        """Catch up to `now`, then perform `action` if `LEGAL` allows it in the phase reached.
        The catch-up's events are in the outcome whether or not the action applies."""
        caught_up = self.advance(now)
        refused = self.refusal(action)
        if refused is not None:
            return Outcome(tuple(caught_up), refused)
        return Outcome(tuple(caught_up + self._perform(action, now)))

    def _perform(self, action: Action, now: float) -> list[Event]:
        if action is Action.TOGGLE_PAUSE:
            action = Action.RESUME if self.paused else Action.PAUSE
        if action is Action.PAUSE:
            self._s.paused_at = now
            return []
        if action is Action.RESUME:
            self._unpause(now)
            return self.advance(now)
        if action is Action.TOGGLE_FALLBACK:
            return self._toggle_fallback(now)
        if action is Action.END_SET:
            return self._end_set_now(now)
        if action in (Action.REST_LONGER, Action.REST_SHORTER):
            return self._change_rest(REST_STEP_MS if action is Action.REST_LONGER else -REST_STEP_MS, now)
        return self._skip(now)

    def _change_rest(self, delta_ms: int, now: float) -> list[Event]:
        """Lengthen or shorten the rest; shortened past now, it ends now. The rest's announcement
        is amended (the screens' bar follows) without a second event: no cue plays twice."""
        s = self._s
        clock = s.paused_at if s.paused_at is not None else now
        if self._at(s.end_ms + delta_ms) <= clock:
            return self._skip(now)
        s.end_ms += delta_ms
        if s.current is not None:
            s.current = dataclasses.replace(s.current, duration=(s.end_ms - s.start_ms) / 1000, deadline=self._at(s.end_ms))
        return []

    def _toggle_fallback(self, now: float) -> list[Event]:
        """Turn the fallback on or off from the next phase not yet started."""
        s, fallback = self._s, self.preset.fallback
        assert fallback is not None  # LEGAL: refused without one
        s.fallback_on = not s.fallback_on
        rep = self._first_rep_affected(fallback)
        if s.fallback_on:
            return [FallbackEngaged(s.set, rep, auto=False, at=now)]
        return [FallbackReleased(s.set, rep, at=now)]

    def _end_set_now(self, now: float) -> list[Event]:
        """The lifter ends the set now (failed rep, or the end of an amrap set)."""
        elapsed = self.set_elapsed(now)
        self._unpause(now)
        completed = self.plan.reps is None or self.reps_done >= self.plan.reps
        return self._end_set(now, elapsed, completed) + self.advance(now)

    def _skip(self, now: float) -> list[Event]:
        """End the countdown now. A rest cut short by the lifter (at the laptop, not yet at the
        machine) leads into the next set's get-ready countdown; a rest that runs out is the
        countdown itself."""
        self._unpause(now)
        if self.phase is Phase.REST:
            return self._enter_get_ready(self._s.set + 1, now) + self.advance(now)
        return self._finish_phase(now) + self.advance(now)

    def _fallback_from(self) -> int | None:
        fallback, s = self.preset.fallback, self._s
        if fallback is None or not s.fallback_on:
            return None
        return s.fallback_rep or self._first_rep_affected(fallback)

    def change_load(self, load: Load, target: SetPlan | None = None) -> str | None:
        """Set the load of `target` (by default the next set) and of the later sets of that exercise
        (warm-ups and working sets apart); returns why not (None: done). By default not during a
        set: its load is on the bar. A `target` asked for in the rest before it may be the set
        running now (the rest ran out while the lifter typed): the load typed is the one on the bar."""
        upcoming = target or (None if self.in_set else self.next_plan)
        done = len(self._s.results)
        if upcoming is None or upcoming not in self.plans[done:]:
            return "no set to load: the load changes between sets"
        start = self.plans.index(upcoming, done)
        self.plans = self.plans[:start] + tuple(
            dataclasses.replace(plan, load=load) if _same_kind(plan, upcoming) else plan for plan in self.plans[start:]
        )
        return None

    def _tempo_shown(self) -> Tempo:
        """The tempo as the screen shows it: the running phase as it runs (a fallback switched on
        mid-phase changes it from the next phase), the others as they will run."""
        tempo, current = self.tempo_now(), self.current
        if current is None or current.phase is not self.phase or self.phase not in REP_PHASES or current.explosive:
            return tempo
        return tempo.with_durations({current.phase: seconds_to_ms(current.duration)})

    # ---- transitions ---------------------------------------------------------------------------

    def _at(self, offset_ms: int) -> float:
        return self._s.anchor + offset_ms / 1000

    def _unpause(self, now: float) -> None:
        s = self._s
        if s.paused_at is not None:
            s.anchor += now - s.paused_at
            s.paused_at = None

    def _first_rep_affected(self, fallback: Fallback) -> int:
        """The first rep whose overridden phases have not started yet."""
        s = self._s
        if s.rep is None:
            return 1
        later = REP_PHASES[REP_PHASES.index(s.phase) + 1 :]
        return s.rep if any(phase in fallback.overrides for phase in later) else s.rep + 1

    def _finish_phase(self, at: float) -> list[Event]:
        s = self._s
        if s.phase is Phase.GET_READY:
            return self._start_set(at)
        if s.phase is Phase.REST:
            return self._next_set(at)
        assert s.rep is not None
        if s.phase is Phase.POSITIVE:
            s.reps_done += 1
            events: list[Event] = [RepCompleted(s.set, s.rep, at)]
            if s.reps_done == self.plan.reps:
                return events + self._end_set(at, s.end_ms / 1000, completed=True)
            return events + self._enter_rep_phase(s.rep, Phase.TOP_HOLD)
        if s.phase is Phase.TOP_HOLD:
            return self._enter_rep_phase(s.rep + 1, Phase.NEGATIVE)
        following = REP_PHASES[REP_PHASES.index(s.phase) + 1]
        return self._enter_rep_phase(s.rep, following)

    def _enter_get_ready(self, set_number: int, at: float) -> list[Event]:
        s = self._s
        s.set, s.rep, s.reps_done = set_number, None, 0
        return self._enter_countdown(Phase.GET_READY, at, self.preset.get_ready_ms)

    def _next_set(self, at: float) -> list[Event]:
        """After a rest (or none), the next set: straight in, or after a get-ready countdown when
        its preset asks for one after rests or there was no rest (a superset's next exercise)."""
        s = self._s
        rested = self.plan.rest_after_ms > 0
        if not rested or self.plans[s.set].preset.get_ready_after_rest:
            return self._enter_get_ready(s.set + 1, at)
        s.set, s.rep, s.reps_done = s.set + 1, None, 0
        return self._start_set(at)

    def _enter_countdown(self, phase: Phase, at: float, duration_ms: int) -> list[Event]:
        s = self._s
        s.anchor, s.start_ms = at, 0
        return self._begin(phase, duration_ms)

    def _start_set(self, at: float) -> list[Event]:
        s = self._s
        s.anchor, s.end_ms = at, 0
        s.fallback_rep, s.auto_fallback_done = None, False
        return self._enter_rep_phase(1, Phase.NEGATIVE)

    def _enter_rep_phase(self, rep: int, phase: Phase) -> list[Event]:
        s = self._s
        s.rep, s.start_ms = rep, s.end_ms
        events = self._auto_fallback(rep)
        fallback = self.preset.fallback
        if s.fallback_on and fallback and phase in fallback.overrides and s.fallback_rep is None:
            s.fallback_rep = rep  # recorded where it first changed a phase
        tempo = self.tempo_now()
        started = self._begin(phase, tempo.duration_ms(phase), explosive=phase in tempo.explosive)
        return events + started

    def _auto_fallback(self, rep: int) -> list[Event]:
        """Engage the fallback once per set, on the first phase of rep `after_rep + 1`."""
        s = self._s
        fallback = self.preset.fallback
        if fallback is None or fallback.after_rep is None or s.auto_fallback_done:
            return []
        if rep <= fallback.after_rep:
            return []
        s.auto_fallback_done = True
        if s.fallback_on:
            return []
        s.fallback_on = True
        return [FallbackEngaged(s.set, rep, auto=True, at=self._at(s.start_ms))]

    def _begin(self, phase: Phase, duration_ms: int, explosive: bool = False) -> list[Event]:
        """Make `phase` current; announce it unless it lasts no time at all."""
        s = self._s
        s.phase, s.end_ms = phase, s.start_ms + duration_ms
        if duration_ms == 0:
            return []
        s.current = PhaseStarted(
            phase,
            s.set,
            s.rep if phase in REP_PHASES else None,
            duration_ms / 1000,
            self._at(s.start_ms),
            self._at(s.end_ms),
            explosive=explosive,
            fallback=s.fallback_on and phase in REP_PHASES,
            plan=self.plan,
        )
        return [s.current]

    def _set_result(self, at: float, tut: float, completed: bool, cut_short: bool = False) -> SetCompleted:
        s = self._s
        following = self.plans[s.set].exercise if s.set < len(self.plans) else ""
        return SetCompleted(s.set, s.reps_done, self.plan.reps, tut, s.fallback_rep, completed, at, cut_short, self.plan, following)

    def _end_set(self, at: float, tut: float, completed: bool) -> list[Event]:
        s = self._s
        result = self._set_result(at, tut, completed)
        s.results.append(result)
        fallback = self.preset.fallback
        if fallback is None or fallback.lasts is Lasts.SET or not self._fallback_carries():
            s.fallback_on = False
        events: list[Event] = [result]
        if s.set >= len(self.plans):
            s.phase, s.rep, s.current = Phase.DONE, None, None
            return events + [WorkoutDone(at, tuple(s.results))]
        s.rep = None
        if self.plan.rest_after_ms == 0:
            return events + self._next_set(at)
        return events + self._enter_countdown(Phase.REST, at, self.plan.rest_after_ms)


    def _fallback_carries(self) -> bool:
        """Whether a fallback that lasts the workout stays on into the next set: only from one
        working set to the next of the same preset (never from a light warm-up, nor to a
        superset's other exercise, which has its own tempo)."""
        s = self._s
        following = self.plans[s.set] if s.set < len(self.plans) else None
        return following is not None and following.preset is self.preset and not self.plan.warmup


def _same_kind(plan: SetPlan, other: SetPlan) -> bool:
    """Both sets of one exercise, and both warm-ups or both working sets."""
    return plan.exercise == other.exercise and plan.warmup == other.warmup
