"""The Coach on a fake clock: cues fire at their deadlines (less the offset), pause / resume /
fallback / end-set / skip-rest re-plan them without repeats, the cue log, volume and mute."""

from __future__ import annotations

import dataclasses
import io
import json
import threading
import time
from pathlib import Path

import pytest
from clock import FakeClock, step_until
from hypothesis import given, settings
from hypothesis import strategies as st
from markers import realtime

from tempo_coach.audio.backend import Backend
from tempo_coach.core.cues import cues_in
from tempo_coach.core.engine import Action, Workout
from tempo_coach.core.events import Event, PhaseStarted, WorkoutDone
from tempo_coach.core.model import Fallback, Preset
from tempo_coach.core.tempo import Phase, Tempo, parse_tempo
from tempo_coach.runtime.scheduler import Coach


class Recorder(Backend):
    """A backend that writes down what it was asked to play and when."""

    name = "recorder"
    notice = "recording"

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.played: list[tuple[str, float, float]] = []

    def play(self, cue: str, volume: float) -> None:
        self.played.append((cue, round(self.clock.now - 1000.0, 6), volume))

    def close(self) -> None:
        pass


def make(tempo: str | Tempo = "2-1-2-1", **changes: object) -> Preset:
    base = Preset(id="test", tempo=tempo if isinstance(tempo, Tempo) else parse_tempo(tempo), sets=2, reps=2, rest_ms=10_000, get_ready_ms=5_000, ticks=True)
    return dataclasses.replace(base, **changes)


def coach_for(preset: Preset, **options: object) -> tuple[Coach, FakeClock, Recorder, list[Event]]:
    clock = FakeClock()
    backend = Recorder(clock)
    events: list[Event] = []
    coach = Coach(Workout(preset), events.extend, clock, backend=backend, **options)  # type: ignore[arg-type]
    return coach, clock, backend, events


def run_until(coach: Coach, clock: FakeClock, until: float) -> None:
    """Jump the clock from one wake-up to the next, as the thread would, up to `until` (relative)."""
    step_until(coach, clock, 1000.0 + until)


def expected(preset: Preset) -> list[tuple[str, float]]:
    """The pure timeline the coach should play, with no lifter actions."""
    workout = Workout(preset)
    events = workout.start(1000.0)
    while (deadline := workout.next_deadline) is not None:
        events += workout.advance(deadline)
    return [(c.name, round(c.at - 1000.0, 6)) for c in cues_in(events, preset)]


def played(backend: Recorder) -> list[tuple[str, float]]:
    return [(name, at) for name, at, _ in backend.played]


def test_a_whole_workout_plays_the_pure_timeline_at_the_deadlines() -> None:
    preset = make()
    coach, clock, backend, events = coach_for(preset)
    coach.start(threaded=False)
    run_until(coach, clock, 60.0)
    assert played(backend) == expected(preset)
    assert isinstance(events[-1], WorkoutDone)


def test_offset_plays_every_sound_early_but_the_screen_changes_at_the_deadline() -> None:
    preset = make()
    coach, clock, backend, events = coach_for(preset, audio_offset_s=0.2)
    seen: list[tuple[Phase, float]] = []
    coach._on_events = lambda batch: seen.extend((e.phase, round(clock.now - 1000.0, 6)) for e in batch if isinstance(e, PhaseStarted))
    coach.start(threaded=False)
    run_until(coach, clock, 60.0)
    assert played(backend) == [(name, round(at - 0.2, 6)) for name, at in expected(preset)]
    assert (Phase.NEGATIVE, 5.0) in seen  # the engine still moved at the deadline itself


def test_offset_longer_than_a_phase_still_plays_each_cue_once_in_order() -> None:
    preset = make(parse_tempo("0.1-0.1-X-0.1", 0.05), ticks=False, explosive_ms=50)
    coach, clock, backend, _ = coach_for(preset, audio_offset_s=0.25)
    coach.start(threaded=False)
    run_until(coach, clock, 60.0)
    assert played(backend) == [(name, round(at - 0.25, 6)) for name, at in expected(preset)]


def test_pause_silences_and_resume_shifts_the_rest_of_the_phase() -> None:
    coach, clock, backend, _ = coach_for(make("4-1-1-1"))
    coach.start(threaded=False)
    run_until(coach, clock, 6.5)  # negative started at 5; tick at 6 heard
    coach.act(Action.PAUSE)
    run_until(coach, clock, 106.5)
    assert played(backend)[-2:] == [("go", 5.0), ("tick", 6.0)]
    coach.act(Action.RESUME)
    run_until(coach, clock, 108.5)
    assert played(backend)[-4:] == [("go", 5.0), ("tick", 6.0), ("tick", 107.0), ("tick", 108.0)]
    run_until(coach, clock, 109.6)
    assert played(backend)[-1] == ("bottom_hold", 109.0)


def test_pause_just_after_an_early_cue_does_not_repeat_the_ticks_already_heard() -> None:
    coach, clock, backend, _ = coach_for(make("4-1-1-1"), audio_offset_s=0.2)
    coach.start(threaded=False)
    run_until(coach, clock, 5.9)  # the tick due at 6.0 has been played (at 5.8)
    coach.act(Action.PAUSE)
    clock.now += 10
    coach.act(Action.RESUME)
    run_until(coach, clock, 18.5)
    ticks = [at for name, at in played(backend) if name == "tick"]
    assert ticks == [5.8, 16.8, 17.8]  # not the 6.0 tick again after the pause


def test_fallback_by_hand_sounds_and_moves_the_following_cues() -> None:
    preset = make("2-1-2-1", fallback=Fallback({Phase.POSITIVE: 1000}))
    coach, clock, backend, _ = coach_for(preset)
    coach.start(threaded=False)
    run_until(coach, clock, 5.5)
    coach.act(Action.TOGGLE_FALLBACK)
    coach.step()
    assert played(backend)[-1] == ("fallback", 5.5)
    run_until(coach, clock, 16.0)
    assert played(backend)[3:] == [
        ("go", 5.0), ("fallback", 5.5), ("tick", 6.0), ("bottom_hold", 7.0),
        ("positive", 8.0), ("top_hold", 9.0),  # the positive is 1 s now: no tick inside it
        ("negative", 10.0), ("tick", 11.0), ("bottom_hold", 12.0), ("positive", 13.0), ("set_done", 14.0),
    ]  # fmt: skip


def test_end_set_plays_set_done_now_and_plans_the_rest_countdown() -> None:
    coach, clock, backend, _ = coach_for(make(reps=None))
    coach.start(threaded=False)
    run_until(coach, clock, 7.25)
    coach.act(Action.END_SET)
    coach.step()
    assert played(backend)[-1] == ("set_done", 7.25)
    run_until(coach, clock, 17.5)
    assert played(backend)[-4:] == [("countdown", 14.25), ("countdown", 15.25), ("countdown", 16.25), ("go", 17.25)]


def test_skip_rest_plays_rest_over_now_and_counts_down_to_the_set() -> None:
    coach, clock, backend, _ = coach_for(make())
    coach.start(threaded=False)
    run_until(coach, clock, 18.0)  # resting since 16
    coach.act(Action.SKIP)
    run_until(coach, clock, 23.5)
    after = [(n, at) for n, at in played(backend) if at >= 18.0]
    assert after == [("rest_over", 18.0), ("countdown", 20.0), ("countdown", 21.0), ("countdown", 22.0), ("go", 23.0)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0.05, 4.0), st.sampled_from([*Action, None])), max_size=25))
def test_whatever_the_lifter_does_no_cue_plays_twice(actions: list[tuple[float, Action | None]]) -> None:
    preset = make("2-1-2-1", fallback=Fallback({Phase.POSITIVE: 1000}), rest_ms=4000, get_ready_ms=3000)
    log = io.StringIO()
    coach, clock, backend, _ = coach_for(preset, audio_offset_s=0.15, cue_log=log)
    coach.start(threaded=False)
    elapsed = 0.0
    for wait, action in actions:
        elapsed += wait
        run_until(coach, clock, elapsed)
        if action is not None:  # None: just wait
            coach.act(action)
    if coach.workout.paused:
        coach.act(Action.RESUME)
    run_until(coach, clock, elapsed + 200)
    sounds = [(name, at) for name, at, _ in backend.played]
    assert [at for _, at in sounds] == sorted(at for _, at in sounds)
    assert sounds[-1][0] == "done"
    # A cue replayed after a pause would come at a shifted time: identify cues by what they
    # announce, not when. Ticks and 3-2-1 beeps repeat within a phase by design, and each press
    # of `f` that engages the fallback sounds again.
    records = [json.loads(line) for line in log.getvalue().splitlines()]
    repeatable = ("tick", "countdown", "fallback")
    announced = [(r["cue"], r["phase"], r["set"], r["rep"]) for r in records if r["cue"] not in repeatable]
    assert len(announced) == len(set(announced))


def test_cue_log_has_one_json_line_per_cue_with_the_phase_deadline(tmp_path: Path) -> None:
    log = tmp_path / "cues.jsonl"
    coach, clock, backend, _ = coach_for(make(sets=1, reps=1), audio_offset_s=0.1, cue_log=log)
    coach.start(threaded=False)
    run_until(coach, clock, 30.0)
    coach.stop()
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(records) == len(backend.played) > 0
    go = next(r for r in records if r["cue"] == "go")
    assert {k: go[k] for k in ("phase", "set", "rep", "deadline", "dispatched", "backend")} == {
        "phase": "negative", "set": 1, "rep": 1, "deadline": 1005.0, "dispatched": 1004.9, "backend": "recorder",
    }  # fmt: skip


def test_muted_cues_are_logged_with_no_backend_and_not_played(tmp_path: Path) -> None:
    log = tmp_path / "cues.jsonl"
    coach, clock, backend, _ = coach_for(make(sets=1, reps=1), cue_log=log)
    coach.toggle_mute()
    coach.start(threaded=False)
    run_until(coach, clock, 30.0)
    coach.stop()
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert backend.played == [] and records and {r["backend"] for r in records} == {"none"}


def test_volume_steps_and_mute() -> None:
    coach, clock, backend, _ = coach_for(make(volume=0.8))
    assert coach.volume == 0.8
    assert round(coach.volume_up(), 6) == 0.9 and round(coach.volume_up(), 6) == 1.0 and coach.volume_up() == 1.0
    coach.set_volume(0.04)
    assert coach.volume == 0.0
    coach.set_volume(0.5)
    coach.start(threaded=False)
    run_until(coach, clock, 2.0)  # the 3-2-1 before the set starts at 5 s
    assert backend.played[-1] == ("countdown", 2.0, 0.5)
    assert coach.toggle_mute() is True
    run_until(coach, clock, 4.0)
    assert [cue for cue, _, _ in backend.played] == ["countdown"]
    assert coach.toggle_mute() is False


@realtime
def test_threaded_coach_plays_a_short_workout_in_order_and_stops() -> None:
    """Real clock, real thread; checks order and completeness, never timing."""
    preset = make("0.1-0.05-0.1-0.05", ticks=False, sets=2, reps=3, rest_ms=400, get_ready_ms=300)
    done = threading.Event()
    names: list[str] = []

    class Names(Backend):
        name, notice = "names", ""

        def play(self, cue: str, volume: float) -> None:
            names.append(cue)

        def close(self) -> None:
            pass

    coach = Coach(Workout(preset), lambda batch: done.set() if any(isinstance(e, WorkoutDone) for e in batch) else None, backend=Names(), cue_log=io.StringIO())
    coach.start()
    assert done.wait(10)
    coach.stop()
    assert names == [name for name, _ in expected(preset)]


def test_a_wake_up_far_past_a_deadline_is_a_pause_not_reps_nobody_coached() -> None:
    """SIGSTOP for 6 s mid-set: the reps that would have run meanwhile are not counted."""
    notices: list[str] = []
    coach, clock, _, events = coach_for(make("2-1-2-1", sets=1, reps=10), on_notice=notices.append)
    coach.start(threaded=False)
    run_until(coach, clock, 7.0)  # rep 1's bottom hold runs from 7.0 to 8.0
    clock.now = 1000.0 + 13.0  # stopped from 7.0 to 13.0: rep 1 and most of rep 2 would have run
    coach.step()
    assert coach.workout.reps_done == 0
    # The positive was due at 8.0: it starts now, whole, and the 5 s past its start count as paused.
    assert coach.workout.phase is Phase.POSITIVE and coach.workout.remaining(clock.now) == pytest.approx(2.0)
    assert notices == ["The coach was stopped for 5.0 s; it carries on from where it was."]


def test_a_cue_log_that_fails_to_write_is_dropped_with_a_notice_and_the_cues_go_on() -> None:
    notices: list[str] = []
    coach, clock, backend, _ = coach_for(make(sets=1, reps=1), cue_log=Path("/dev/full"), on_notice=notices.append)
    coach.start(threaded=False)
    run_until(coach, clock, 30.0)
    coach.stop()
    assert notices == ["The cue log could not be written (No space left on device); going on without it."]
    assert [name for name, _, _ in backend.played][-1] == "done"


@realtime
def test_an_error_in_the_cue_thread_is_a_notice_and_the_thread_carries_on() -> None:
    notices: list[str] = []
    coach, clock, backend, _ = coach_for(make(sets=1, reps=1), on_notice=notices.append)
    real_step, failures = coach.step, [RuntimeError("boom")]

    def flaky_step() -> None:
        if failures:
            raise failures.pop()
        real_step()

    coach.step = flaky_step  # type: ignore[method-assign]
    coach.spin_s = 0.0
    coach.clock = time.monotonic  # the real thread, on the real clock, for a short workout
    coach.workout = Workout(make("0.1-0-0.1-0", sets=1, reps=2, get_ready_ms=100))
    coach.start(threaded=True)
    deadline = time.monotonic() + 5
    while not coach.workout.done and time.monotonic() < deadline:
        time.sleep(0.01)
    coach.stop()
    assert coach.workout.done
    assert notices == ["The coach's timer hit an error (boom) and carries on."]


def test_a_finished_set_is_committed_before_its_set_over_sound_plays() -> None:
    order: list[str] = []
    clock = FakeClock()

    class Ordered(Backend):
        name, notice = "order", "test"

        def play(self, cue: str, volume: float) -> None:
            order.append(f"play {cue}")

        def close(self) -> None:
            pass

    coach = Coach(
        Workout(make(sets=2, reps=1)), lambda events: order.extend(f"event {type(e).__name__}" for e in events), clock,
        backend=Ordered(), commit=lambda: order.append("commit"),
    )
    coach.start(threaded=False)
    run_until(coach, clock, 30.0)
    assert order.index("event SetCompleted") < order.index("commit") < order.index("play set_done")


def test_a_key_pressed_after_a_stall_counts_no_reps_nobody_coached() -> None:
    coach, clock, _, _ = coach_for(make("2-1-2-1", sets=1, reps=10))
    coach.start(threaded=False)
    run_until(coach, clock, 7.0)
    clock.now = 1000.0 + 13.0  # stopped for 6 s; the first thing after it is a key press
    coach.act(Action.TOGGLE_FALLBACK)
    assert coach.workout.reps_done == 0


def test_events_reach_the_listener_even_if_planning_their_cues_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from tempo_coach.runtime import scheduler

    coach, clock, _, events = coach_for(make(sets=1, reps=1))  # the set ends at 1010: 5 + 2 + 1 + 2
    coach.start(threaded=False)
    run_until(coach, clock, 9.5)

    def broken(*args):  # type: ignore[no-untyped-def]
        raise RuntimeError("cue planning failed")

    monkeypatch.setattr(scheduler, "cues_for", broken)
    clock.now = 1010.0
    with pytest.raises(RuntimeError):
        coach.step()
    assert any(isinstance(e, WorkoutDone) for e in events)
