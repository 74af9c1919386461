"""Which sound each engine event makes, and when. Pure: no clock, no audio, no threads.

`cues_for(event, preset)` turns one event into the cues it implies, each with the absolute time it
is due (the phase's own deadline, never shifted by the audio offset: the scheduler does that).
`cues_in(events, preset)` does a whole batch and keeps one sound per instant, because two sounds
started together blur into one (and a bare ALSA device refuses the second): the more important cue
wins (`PRIORITY`).

The vocabulary, in the order a set meets it: the get-ready countdown `countdown` x3 then `go` (which
stands in for the first phase cue of the set: the movement starts on "go"); a phase cue for each
negative / bottom hold / positive / top hold, or `explosive` for an X phase; optional `tick`s on the
whole seconds inside a rep phase; `set_done` when the set ends (the rest starts); the rest ends in
`countdown` x3 and `rest_over` (get into position: the next get-ready countdown starts); `done` when
the workout is over. `fallback` confirms the fallback tempo is on; `click` is the calibration click.
"""

from __future__ import annotations

from dataclasses import dataclass

from tempo_coach.core.events import (
    Event,
    FallbackEngaged,
    PhaseStarted,
    SetCompleted,
    WorkoutDone,
)
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import REP_PHASES, Phase

COUNTDOWN_S = 3
"""How many countdown beeps precede the end of a get-ready or a rest (one a second)."""

PRIORITY: dict[str, int] = {
    "done": 9,
    "set_done": 8,
    "go": 7,
    "explosive": 6,
    "negative": 6,
    "bottom_hold": 6,
    "positive": 6,
    "top_hold": 6,
    "rest_over": 5,
    "countdown": 4,
    "fallback": 3,
    "tick": 1,
    "click": 0,
}
_SAME_INSTANT_S = 0.001


@dataclass(frozen=True)
class Cue:
    """One sound due at `at` (monotonic seconds): `name` is a key of CUE_NAMES."""

    name: str
    at: float
    phase: str | None = None
    set: int | None = None
    rep: int | None = None
    ordinal: int = 0
    """Tells apart cues of one name in one phase: the tick's second, the countdown's number."""

    @property
    def key(self) -> tuple[str, str | None, int | None, int | None, int]:
        """Identifies this cue across re-plans, even when a pause moved it, so none plays twice."""
        return (self.name, self.phase, self.set, self.rep, self.ordinal)


def cues_for(event: Event, preset: Preset) -> list[Cue]:
    """The cues one event implies, in time order (before `cues_in` resolves collisions)."""

    if isinstance(event, PhaseStarted):
        phase = event.phase.value
        if event.phase in REP_PHASES:
            name = "go" if _starts_set(event, preset) else "explosive" if event.explosive else phase
            cues = [Cue(name, event.start, phase, event.set, event.rep)]
            if preset.ticks:
                cues += [
                    Cue("tick", t, phase, event.set, event.rep, k) for k, t in enumerate(_whole_seconds(event.start, event.deadline), 1)
                ]
            return cues
        cues = []
        if event.phase is Phase.GET_READY and event.set > 1:
            cues.append(Cue("rest_over", event.start, phase, event.set))
        return cues + [
            Cue("countdown", t, phase, event.set, None, round(event.deadline - t)) for t in _countdown(event.start, event.deadline)
        ]
    if isinstance(event, SetCompleted):
        return [] if event.set >= preset.sets else [Cue("set_done", event.at, Phase.REST.value, event.set)]
    if isinstance(event, WorkoutDone):
        return [Cue("done", event.at, Phase.DONE.value)]
    if isinstance(event, FallbackEngaged):
        return [Cue("fallback", event.at, None, event.set, event.rep, round(event.at * 1000))]
    return []


def cues_in(events: list[Event], preset: Preset) -> list[Cue]:
    """The cues of a batch of events in time order, one per instant (the most important wins)."""
    return one_per_instant([cue for event in events for cue in cues_for(event, preset)])


def one_per_instant(cues: list[Cue]) -> list[Cue]:
    """Sort by time; of cues less than a millisecond apart keep the highest `PRIORITY` (first on ties)."""
    kept: list[Cue] = []
    for cue in sorted(cues, key=lambda c: c.at):
        if kept and cue.at - kept[-1].at < _SAME_INSTANT_S:
            if PRIORITY[cue.name] > PRIORITY[kept[-1].name]:
                kept[-1] = cue
            continue
        kept.append(cue)
    return kept


def _starts_set(event: PhaseStarted, preset: Preset) -> bool:
    """Is this the first announced phase of its set (the one `go` stands in for)?"""

    if event.rep != 1:
        return False
    tempo = preset.fallback_tempo if event.fallback and preset.fallback_tempo else preset.tempo
    return event.phase is next((p for p in REP_PHASES if tempo.duration_ms(p) > 0), None)


def _whole_seconds(start: float, deadline: float) -> list[float]:
    """start + 1, start + 2, ... strictly before the deadline (the next phase's cue marks that)."""
    count = int((deadline - start) - _SAME_INSTANT_S)
    return [start + k for k in range(1, count + 1) if start + k < deadline - _SAME_INSTANT_S]


def _countdown(start: float, deadline: float) -> list[float]:
    """deadline - 3, - 2, - 1, those that fall after the phase starts."""
    return [deadline - k for k in range(COUNTDOWN_S, 0, -1) if deadline - k > start + _SAME_INSTANT_S]
