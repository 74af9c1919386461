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

Voice. With a `Voice` other than OFF, events also make voice cues (`name` "voice:<words>", `words`
the recorded clips spoken in order): the rep number as each rep begins, and more by mode (see
`Voice`). A voice cue speaks for the beep at its instant and never masks it: `arrange` places it
after that beep has ended (and after the voice before it), and skips it, with the reason in
`skipped`, when it would not end `VOICE_GUARD_S` before the next beep or a clip is missing. How long
each sound lasts (`lengths`: beeps by cue name, recordings as "voice:<word>") comes from the sound
backend, which knows the clips.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from tempo_coach.core.cue_names import CueName
from tempo_coach.core.events import (
    Event,
    FallbackEngaged,
    PhaseStarted,
    SetCompleted,
    WorkoutDone,
)
from tempo_coach.core.model import Preset, Voice
from tempo_coach.core.tempo import REP_PHASES, Phase

COUNTDOWN_S = 3
"""How many countdown beeps precede the end of a get-ready or a rest (one a second)."""

PRIORITY: dict[str, int] = {
    CueName.DONE: 9,
    CueName.SET_DONE: 8,
    CueName.GO: 7,
    CueName.EXPLOSIVE: 6,
    CueName.NEGATIVE: 6,
    CueName.BOTTOM_HOLD: 6,
    CueName.POSITIVE: 6,
    CueName.TOP_HOLD: 6,
    CueName.REST_OVER: 5,
    CueName.COUNTDOWN: 4,
    CueName.FALLBACK: 3,
    CueName.TICK: 1,
    CueName.CLICK: 0,
}
_SAME_INSTANT_S = 0.001
VOICE_PREFIX = "voice:"
VOICE_GAP_S = 0.03
"""Silence between the end of a beep (or a voice clip) and the voice that follows it."""
VOICE_GUARD_S = 0.05
"""A voice clip must end this long before the next beep, or it is skipped."""
PHASE_WORDS = {Phase.NEGATIVE: "down", Phase.BOTTOM_HOLD: "hold", Phase.POSITIVE: "up", Phase.TOP_HOLD: "top"}
SPOKEN_NUMBERS = range(1, 101)
"""The numbers there are recordings of (a rep past 100 is not counted aloud)."""
VOICE_WORDS = (*PHASE_WORDS.values(), "go", "rest", "set", "last-rep", "fallback", "done", "next")
"""Every recording the coach may ask for besides the numbers and the exercises (`slug`)."""


@dataclass(frozen=True)
class Cue:
    """One sound due at `at` (monotonic seconds): `name` is a `CueName`, or a voice clip's `voice:<word>`."""

    name: str
    at: float
    phase: str | None = None
    set: int | None = None
    rep: int | None = None
    ordinal: int = 0
    """Tells apart cues of one name in one phase: the tick's second, the countdown's number."""
    words: tuple[str, ...] = ()
    """A voice cue's recordings, spoken in order ("set", "2")."""
    anchor: float | None = None
    """A placed voice cue: the instant it speaks for (`at` is when it starts, after that beep)."""
    skipped: str = ""
    """Why a voice cue will not be spoken ("would not fit before the next cue"); it is still logged."""

    @property
    def is_voice(self) -> bool:
        return self.name.startswith(VOICE_PREFIX)

    @property
    def key(self) -> tuple[str, str | None, int | None, int | None, int]:
        """Identifies this cue across re-plans, even when a pause moved it, so none plays twice."""
        return (self.name, self.phase, self.set, self.rep, self.ordinal)


def cues_for(event: Event, preset: Preset, voice: Voice = Voice.OFF) -> list[Cue]:
    """The cues one event implies, in time order (before `arrange` resolves collisions and places
    the voice), the voice cues last. An event that names its set's plan is cued by the plan's
    preset (a routine's block mixes presets); `preset` is for bare events."""
    plan = getattr(event, "plan", None)
    if plan is not None:
        preset = plan.preset
    return _beeps_for(event, preset) + ([] if voice is Voice.OFF else _voice_for(event, preset, voice))


def _rest_follows(event: SetCompleted, preset: Preset) -> bool:
    """Whether a rest comes after this set (not after the last, nor between a superset's exercises)."""
    return event.plan.rest_after_ms > 0 if event.plan else event.set < preset.sets


def _set_number(event: PhaseStarted) -> int:
    """The set as the lifter counts it ('set 2'), not its place in the block."""
    return event.plan.number if event.plan else event.set


def _reps_target(event: PhaseStarted, preset: Preset) -> int | None:
    return event.plan.reps if event.plan else preset.reps


def _beeps_for(event: Event, preset: Preset) -> list[Cue]:

    if isinstance(event, PhaseStarted):
        phase = event.phase.value
        if event.phase in REP_PHASES:
            name = CueName.GO if _starts_set(event, preset) else CueName.EXPLOSIVE if event.explosive else CueName(phase)
            cues = [Cue(name, event.start, phase, event.set, event.rep)]
            if preset.ticks:
                cues += [
                    Cue(CueName.TICK, t, phase, event.set, event.rep, k) for k, t in enumerate(_whole_seconds(event.start, event.deadline), 1)
                ]
            return cues
        cues = []
        if event.phase is Phase.GET_READY and event.set > 1:
            cues.append(Cue(CueName.REST_OVER, event.start, phase, event.set))
        return cues + [
            Cue(CueName.COUNTDOWN, t, phase, event.set, None, round(event.deadline - t)) for t in _countdown(event.start, event.deadline)
        ]
    if isinstance(event, SetCompleted):
        return [Cue(CueName.SET_DONE, event.at, Phase.REST.value, event.set)] if _rest_follows(event, preset) else []
    if isinstance(event, WorkoutDone):
        return [Cue(CueName.DONE, event.at, Phase.DONE.value)]
    if isinstance(event, FallbackEngaged):
        return [Cue(CueName.FALLBACK, event.at, None, event.set, event.rep, round(event.at * 1000))]
    return []


def cues_in(events: list[Event], preset: Preset, voice: Voice = Voice.OFF, lengths: Mapping[str, float] | None = None) -> list[Cue]:
    """The cues of a batch of events in time order, one beep per instant (the most important wins),
    each voice cue placed after its beep (see `arrange`)."""
    return arrange([cue for event in events for cue in cues_for(event, preset, voice)], lengths or {})


def arrange(cues: list[Cue], lengths: Mapping[str, float]) -> list[Cue]:
    """One beep per instant, and every voice cue placed or skipped, all in time order. A cue given
    twice (same key) counts once: the first wins, so a voice placed earlier keeps its place."""
    unique = list({cue.key: cue for cue in reversed(cues)}.values())[::-1]
    beeps = one_per_instant([c for c in unique if not c.is_voice])
    voices = _place_voice([c for c in unique if c.is_voice], beeps, lengths)
    return sorted(beeps + voices, key=lambda c: c.at)


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
    return event.rep == 1 and _starts_rep(event, preset)


def _starts_rep(event: PhaseStarted, preset: Preset) -> bool:
    """Is this the first announced phase of its rep?"""
    tempo = preset.fallback_tempo if event.fallback and preset.fallback_tempo else preset.tempo
    return event.phase is next((p for p in REP_PHASES if tempo.duration_ms(p) > 0), None)


def _whole_seconds(start: float, deadline: float) -> list[float]:
    """start + 1, start + 2, ... strictly before the deadline (the next phase's cue marks that)."""
    count = int((deadline - start) - _SAME_INSTANT_S)
    return [start + k for k in range(1, count + 1) if start + k < deadline - _SAME_INSTANT_S]


def _countdown(start: float, deadline: float) -> list[float]:
    """deadline - 3, - 2, - 1, those that fall after the phase starts."""
    return [deadline - k for k in range(COUNTDOWN_S, 0, -1) if deadline - k > start + _SAME_INSTANT_S]


# ---- voice ------------------------------------------------------------------------------------


def _voice_for(event: Event, preset: Preset, voice: Voice) -> list[Cue]:
    """What is said for one event, each cue at the event's instant (placed later by `arrange`)."""
    full = voice is Voice.FULL
    if isinstance(event, PhaseStarted) and event.phase in REP_PHASES:
        words = _rep_words(event, preset, voice)
        return [_voice(words, event.start, event.phase.value, event.set, event.rep)] if words else []
    if isinstance(event, PhaseStarted) and event.phase is Phase.GET_READY and full:
        said = [_voice(("set", str(_set_number(event))), event.start, event.phase.value, event.set)]
        return said + [
            _voice((str(round(event.deadline - t)),), t, event.phase.value, event.set, ordinal=round(event.deadline - t))
            for t in _countdown(event.start, event.deadline)
        ]
    if isinstance(event, SetCompleted) and full and _rest_follows(event, preset):
        rest = [_voice(("rest",), event.at, Phase.REST.value, event.set)]
        exercise = slug(event.next_exercise or preset.exercise)
        return rest + ([_voice(("next", exercise), event.at, Phase.REST.value, event.set, ordinal=1)] if exercise else [])
    if isinstance(event, WorkoutDone) and full:
        return [_voice(("done",), event.at, Phase.DONE.value, None)]
    if isinstance(event, FallbackEngaged) and voice in (Voice.PHASES, Voice.FULL):
        return [_voice(("fallback",), event.at, None, event.set, event.rep, round(event.at * 1000))]
    return []


def _rep_words(event: PhaseStarted, preset: Preset, voice: Voice) -> tuple[str, ...]:
    rep = event.rep or 0
    if not _starts_rep(event, preset):
        return (PHASE_WORDS[event.phase],) if voice in (Voice.PHASES, Voice.FULL) else ()
    if voice is Voice.FULL and rep == 1:
        return ("go",)
    if voice is Voice.FULL and rep == _reps_target(event, preset):
        return ("last-rep",)
    return (str(rep),) if rep in SPOKEN_NUMBERS else ()


def _voice(words: tuple[str, ...], at: float, phase: str | None, set_: int | None, rep: int | None = None, ordinal: int = 0) -> Cue:
    return Cue(VOICE_PREFIX + " ".join(words), at, phase, set_, rep, ordinal, words)


def slug(text: str) -> str:
    """An exercise as the name of its recording: 'Romanian deadlift' -> 'romanian-deadlift'."""
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in text.lower()).split())


def _place_voice(voices: list[Cue], beeps: list[Cue], lengths: Mapping[str, float]) -> list[Cue]:
    """Each voice cue after the beep at its instant and the voice before it; skipped (with why)
    when a clip is missing or it would not end VOICE_GUARD_S before the next beep."""
    placed: list[Cue] = []
    free_from = float("-inf")
    for cue in sorted(voices, key=lambda c: (c.anchor if c.anchor is not None else c.at, c.ordinal)):
        anchor = cue.anchor if cue.anchor is not None else cue.at
        missing = [w for w in cue.words if VOICE_PREFIX + w not in lengths]
        if missing:
            placed.append(replace(cue, anchor=anchor, at=anchor, skipped=f"no recording of {missing[0]!r}"))
            continue
        placed_before = cue.anchor is not None and not cue.skipped
        start = cue.at if placed_before else max(_after_beeps_at(anchor, beeps, lengths), free_from)
        end = start + sum(lengths[VOICE_PREFIX + w] for w in cue.words)
        following = next((b.at for b in beeps if b.at > anchor + _SAME_INSTANT_S), None)
        if following is not None and end + VOICE_GUARD_S > following:
            placed.append(replace(cue, anchor=anchor, at=anchor, skipped="would not fit before the next cue"))
            continue
        placed.append(replace(cue, anchor=anchor, at=start, skipped=""))
        free_from = end + VOICE_GAP_S
    return placed


def _after_beeps_at(instant: float, beeps: list[Cue], lengths: Mapping[str, float]) -> float:
    """When the beep at `instant` has ended and a short gap has passed (the instant itself if none)."""
    ends = [b.at + lengths.get(b.name, 0.0) + VOICE_GAP_S for b in beeps if abs(b.at - instant) < _SAME_INSTANT_S]
    return max(ends, default=instant)
