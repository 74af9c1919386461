"""Voice cues, pure, on a virtual clock: what is said when, placed after its beep, skipped when it
would not fit before the next cue."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from tempo_coach.core.cue_names import CUE_NAMES
from tempo_coach.core.cues import VOICE_GAP_S, VOICE_GUARD_S, Cue, arrange, cues_in, slug
from tempo_coach.core.engine import Workout
from tempo_coach.core.events import Event
from tempo_coach.core.model import Preset, Voice
from tempo_coach.core.routine import Block, Exercise, block_plans
from tempo_coach.core.tempo import parse_tempo

BEEP_S = 0.2
WORD_S = 0.4
WORDS = [*map(str, range(1, 101)), "down", "hold", "up", "top", "go", "rest", "set", "last-rep", "fallback", "done", "next", "leg-press"]
VOICE_CLIPS = ["voice:" + w for w in WORDS]
LENGTHS = {**dict.fromkeys(CUE_NAMES, BEEP_S), **dict.fromkeys(VOICE_CLIPS, WORD_S)}


def make(tempo: str = "2-1-2-1", **changes: object) -> Preset:
    base = Preset(id="t", tempo=parse_tempo(tempo), exercise="Leg press", sets=2, reps=3, rest_ms=10_000, get_ready_ms=5_000)
    return dataclasses.replace(base, **changes)


def events_of(preset: Preset, start: float = 100.0) -> list[Event]:
    workout = Workout(preset)
    events = workout.start(start)
    while (deadline := workout.next_deadline) is not None:
        events += workout.advance(deadline)
    return events


def said(preset: Preset, voice: Voice, lengths: dict[str, float] = LENGTHS) -> list[tuple[float, str]]:
    """(seconds from the start, name) of every voice cue, in order."""
    return [(round(c.at - 100.0, 3), c.name) for c in cues_in(events_of(preset), preset, voice, lengths) if c.is_voice]


def test_counts_says_each_rep_number_just_after_the_rep_s_first_beep() -> None:
    after_beep = BEEP_S + VOICE_GAP_S
    assert said(make(), Voice.COUNTS) == [
        (5 + after_beep, "voice:1"), (11 + after_beep, "voice:2"), (17 + after_beep, "voice:3"),
        (32 + after_beep, "voice:1"), (38 + after_beep, "voice:2"), (44 + after_beep, "voice:3"),
    ]  # fmt: skip


def test_off_says_nothing_and_the_beeps_are_as_before() -> None:
    preset = make()
    silent = cues_in(events_of(preset), preset, Voice.OFF, LENGTHS)
    assert not any(c.is_voice for c in silent)
    assert silent == cues_in(events_of(preset), preset)


def test_phases_names_the_other_phases_too() -> None:
    first_rep = [name for t, name in said(make(), Voice.PHASES) if t < 11]
    assert first_rep == ["voice:1", "voice:hold", "voice:up", "voice:top"]


def test_full_frames_the_set_counts_down_and_says_what_comes_next() -> None:
    names = [name for _, name in said(make(), Voice.FULL)]
    assert names[:8] == ["voice:set 1", "voice:3", "voice:2", "voice:1", "voice:go", "voice:hold", "voice:up", "voice:top"]
    assert "voice:last-rep" in names and "voice:rest" in names and "voice:next leg-press" in names
    assert names.index("voice:next leg-press") == names.index("voice:rest") + 1
    assert names[-1] == "voice:done"


def test_in_a_superset_next_names_the_exercise_that_comes_after_the_rest() -> None:
    squat = make(id="g", exercise="Goblet squat", reps=1)
    press = make(reps=1)
    workout = Workout(block_plans(Block((Exercise(press), Exercise(squat)), superset=True, rest_ms=10_000)))
    events = workout.start(100.0)
    while (deadline := workout.next_deadline) is not None:
        events += workout.advance(deadline)
    names = [c.name for c in cues_in(events, press, Voice.FULL, LENGTHS) if c.name.startswith("voice:next")]
    assert names == ["voice:next leg-press"]  # after the round's squat: the leg press opens the next round


def test_a_voice_that_would_not_fit_before_the_next_cue_is_skipped_and_says_why() -> None:
    """Phases of half a second: the beep and the word do not fit before the next beep."""
    preset = make("0.5-0.5-0.5-0.5", reps=2, sets=1)
    cues = [c for c in cues_in(events_of(preset), preset, Voice.PHASES, LENGTHS) if c.is_voice]
    assert cues and all(c.skipped == "would not fit before the next cue" for c in cues)
    assert all(c.at == c.anchor for c in cues)  # logged at the instant it spoke for


def test_a_voice_with_no_recording_is_skipped() -> None:
    preset = make(exercise="Bench press")
    cues = [c for c in cues_in(events_of(preset), preset, Voice.FULL, LENGTHS) if c.name == "voice:next bench-press"]
    assert cues and cues[0].skipped == "no recording of 'bench-press'"


def test_exercise_names_become_the_names_of_their_recordings() -> None:
    assert [slug(t) for t in ("Leg press", "Romanian deadlift", "Push-up", "Goblet squat", "Über", "")] == [
        "leg-press", "romanian-deadlift", "push-up", "goblet-squat", "ber", "",
    ]  # fmt: skip


def test_arranging_twice_changes_nothing() -> None:
    """A re-plan passes placed voice cues back in: they keep their place, and skipped ones stay skipped."""
    for tempo in ("2-1-2-1", "0.5-0-0.5-0"):
        preset = make(tempo, ticks=True)
        once = cues_in(events_of(preset), preset, Voice.FULL, LENGTHS)
        assert arrange(once, LENGTHS) == once


PHASE = st.sampled_from(["0", "0.5", "1", "1.5", "2", "3", "X"])


@settings(max_examples=150, deadline=None)
@given(
    st.tuples(PHASE, PHASE, PHASE, PHASE).map("-".join),
    st.booleans(),
    st.sampled_from(list(Voice)),
    st.floats(0.05, 1.2),
    st.floats(0.01, 0.7),
)
def test_a_spoken_word_never_overlaps_a_beep(tempo: str, ticks: bool, voice: Voice, word_s: float, beep_s: float) -> None:
    try:
        preset = make(tempo, ticks=ticks, reps=3)
    except Exception:
        return
    if preset.tempo.rep_ms == 0:
        return
    lengths = {**dict.fromkeys(CUE_NAMES, beep_s), **dict.fromkeys(VOICE_CLIPS, word_s)}
    cues = cues_in(events_of(preset), preset, voice, lengths)
    beeps = [c for c in cues if not c.is_voice]
    spoken = [c for c in cues if c.is_voice and not c.skipped]
    for cue in spoken:
        end = cue.at + word_s * len(cue.words)
        for beep in beeps:
            assert end + VOICE_GUARD_S <= beep.at + 1e-9 or beep.at + beep_s <= cue.at + 1e-9, (cue, beep)
    for a, b in zip(spoken, spoken[1:]):
        assert a.at + word_s * len(a.words) <= b.at + 1e-9  # one voice at a time
    assert all(isinstance(c, Cue) for c in cues)


def test_every_word_the_coach_may_say_has_a_short_mono_recording() -> None:
    """sounds/make_voice.py recorded them; nothing asks for a word that is not there."""
    import wave
    from pathlib import Path

    from tempo_coach.core.cues import SPOKEN_NUMBERS, VOICE_WORDS
    from tempo_coach.presets.catalog import entries
    from tempo_coach.presets.loader import load_preset

    folder = Path(__file__).resolve().parent.parent / "sounds" / "voice"
    exercises = {slug(load_preset(e.path).exercise) for e in entries() if e.source == "shipped"}
    wanted = {*map(str, SPOKEN_NUMBERS), *VOICE_WORDS, *exercises} - {""}
    assert {p.stem for p in folder.glob("*.wav")} == wanted
    total = 0
    for name in wanted:
        with wave.open(str(folder / f"{name}.wav"), "rb") as wav:
            assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22_050), name
            assert 0.1 < wav.getnframes() / 22_050 < 1.2, name
        total += (folder / f"{name}.wav").stat().st_size
    assert total < 4_000_000
