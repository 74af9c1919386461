"""Which sound each event makes and when: pure, on a virtual clock."""

from __future__ import annotations

import dataclasses
import sys
import wave
from pathlib import Path

from tempo_coach.core.cue_names import CUE_NAMES
from tempo_coach.core.cues import PRIORITY, Cue, cues_for, cues_in, one_per_instant
from tempo_coach.core.engine import Workout
from tempo_coach.core.events import (
    FallbackEngaged,
    PhaseStarted,
    SetCompleted,
    WorkoutDone,
)
from tempo_coach.core.model import Fallback, Preset
from tempo_coach.core.tempo import Phase, parse_tempo
from tempo_coach.paths import shipped_sounds_dir

ROOT = Path(__file__).resolve().parent.parent


def make(tempo: str = "2-1-2-1", **changes: object) -> Preset:
    base = Preset(id="test", tempo=parse_tempo(tempo), sets=2, reps=2, rest_ms=10_000, get_ready_ms=5_000)
    return dataclasses.replace(base, **changes)


def timeline(preset: Preset, start: float = 100.0) -> list[Cue]:
    workout = Workout(preset)
    events = workout.start(start)
    while (deadline := workout.next_deadline) is not None:
        events += workout.advance(deadline)
    return cues_in(events, preset)


def names_at(cues: list[Cue], start: float = 100.0) -> list[tuple[float, str]]:
    return [(round(c.at - start, 3), c.name) for c in cues]


def test_a_whole_workout_sounds_like_this() -> None:
    cues = timeline(make(ticks=True))
    assert names_at(cues) == [
        (2.0, "countdown"), (3.0, "countdown"), (4.0, "countdown"),
        (5.0, "go"), (6.0, "tick"), (7.0, "bottom_hold"), (8.0, "positive"), (9.0, "tick"), (10.0, "top_hold"),
        (11.0, "negative"), (12.0, "tick"), (13.0, "bottom_hold"), (14.0, "positive"), (15.0, "tick"),
        (16.0, "set_done"), (23.0, "countdown"), (24.0, "countdown"), (25.0, "countdown"),
        (26.0, "go"), (27.0, "tick"), (28.0, "bottom_hold"), (29.0, "positive"), (30.0, "tick"), (31.0, "top_hold"),
        (32.0, "negative"), (33.0, "tick"), (34.0, "bottom_hold"), (35.0, "positive"), (36.0, "tick"),
        (37.0, "done"),
    ]  # fmt: skip


def test_every_phase_start_has_exactly_one_sound_and_no_ticks_without_the_setting() -> None:
    preset = make()
    workout = Workout(preset)
    events = workout.start(0.0)
    while (deadline := workout.next_deadline) is not None:
        events += workout.advance(deadline)
    cues = cues_in(events, preset)
    assert "tick" not in {c.name for c in cues}
    starts = [e.start for e in events if isinstance(e, PhaseStarted) and e.phase not in (Phase.GET_READY, Phase.REST)]
    assert all(sum(1 for c in cues if abs(c.at - t) < 1e-9) == 1 for t in starts)


def test_explosive_phase_uses_the_explosive_sound_and_has_no_ticks() -> None:
    cues = timeline(make("3-1-X-0", ticks=True, sets=1, reps=2))
    rep2 = [c for c in cues if c.rep == 2]
    assert [c.name for c in rep2] == ["negative", "tick", "tick", "bottom_hold", "explosive"]


def test_ticks_fall_on_whole_seconds_strictly_inside_the_phase() -> None:
    event = PhaseStarted(Phase.NEGATIVE, 1, 2, 3.5, start=10.0, deadline=13.5)
    cues = cues_for(event, make(ticks=True))
    assert [(c.name, c.at) for c in cues] == [("negative", 10.0), ("tick", 11.0), ("tick", 12.0), ("tick", 13.0)]
    exact = PhaseStarted(Phase.NEGATIVE, 1, 2, 2.0, start=10.0, deadline=12.0)
    assert [c.at for c in cues_for(exact, make(ticks=True))] == [10.0, 11.0]


def test_a_short_get_ready_counts_down_only_what_fits() -> None:
    event = PhaseStarted(Phase.GET_READY, 1, None, 2.0, start=0.0, deadline=2.0)
    assert [(c.name, c.at) for c in cues_for(event, make())] == [("countdown", 1.0)]


def test_first_phase_of_a_set_is_go_even_when_the_negative_is_zero() -> None:
    cues = timeline(make("0-0-2-2", sets=1, reps=2))
    assert [c.name for c in cues if c.rep] == ["go", "top_hold", "positive"]  # the last rep ends on its positive


def test_last_set_ends_with_done_not_set_done() -> None:
    preset = make(sets=2)
    assert cues_for(SetCompleted(2, 2, 2, 6.0, None, True, at=50.0), preset) == []
    assert [c.name for c in cues_for(SetCompleted(1, 2, 2, 6.0, None, True, at=20.0), preset)] == ["set_done"]
    assert [c.name for c in cues_for(WorkoutDone(60.0, ()), preset)] == ["done"]


def test_fallback_engaged_by_hand_sounds_but_loses_to_a_phase_cue_at_the_same_instant() -> None:
    preset = make(fallback=Fallback({Phase.POSITIVE: 1000}, after_rep=1))
    manual = FallbackEngaged(1, 2, auto=False, at=7.3)
    assert [c.name for c in cues_for(manual, preset)] == ["fallback"]
    cues = timeline(preset)
    auto_rep = [c for c in cues if c.set == 1 and c.rep == 2]
    assert auto_rep[0].name == "negative"  # the auto fallback at the negative's start is not heard over it
    assert "fallback" not in {c.name for c in cues}


def test_one_per_instant_keeps_the_most_important() -> None:
    cues = [Cue("tick", 1.0), Cue("set_done", 1.0004), Cue("countdown", 2.0)]
    assert [c.name for c in one_per_instant(cues)] == ["set_done", "countdown"]
    assert set(PRIORITY) == set(CUE_NAMES)


def test_every_cue_has_a_shipped_sound_that_is_16_bit_mono_short_and_not_empty() -> None:
    for name in CUE_NAMES:
        with wave.open(str(shipped_sounds_dir() / f"{name}.wav"), "rb") as wav:
            assert (wav.getsampwidth(), wav.getnchannels(), wav.getframerate()) == (2, 1, 44_100), name
            assert 0 < wav.getnframes() / 44_100 <= 0.75, name


def test_shipped_sounds_are_what_the_generator_writes() -> None:
    sys.path.insert(0, str(ROOT / "sounds"))
    try:
        import generate  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    assert generate.main(["--check", "--out", str(ROOT / "sounds")]) == 0
    assert set(generate.SOUNDS) == set(CUE_NAMES)


def test_phase_sounds_differ_clearly() -> None:
    """Distinct by shape: no two phase sounds are near copies of each other."""
    from tempo_coach.audio.sounds import load_wav

    clips = {n: load_wav(shipped_sounds_dir() / f"{n}.wav").frames for n in ("negative", "bottom_hold", "positive", "top_hold", "explosive")}
    assert len(set(clips.values())) == len(clips)
    # falling vs rising: same length, mirrored sweep; the first 10 ms must differ
    assert clips["negative"][:882] != clips["positive"][:882]
