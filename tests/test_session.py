"""WorkoutSession: no lifter action, at any instant, loses a set or saves one twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from clock import FakeClock, step_until
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tempo_coach.audio.backend import NullBackend
from tempo_coach.core.engine import Action
from tempo_coach.core.events import Event, SetCompleted, WorkoutDone
from tempo_coach.core.model import Fallback, Preset
from tempo_coach.core.tempo import Phase, parse_tempo
from tempo_coach.history.store import HistoryStore
from tempo_coach.runtime.options import RunOptions
from tempo_coach.runtime import session as session_module
from tempo_coach.runtime.session import Sound, WorkoutSession


class Host:
    """Collects what the session tells the app."""

    def __init__(self) -> None:
        self.batches: list[Event] = []
        self.notices: list[str] = []

    def events(self, batch: list[Event]) -> None:
        self.batches.extend(batch)

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def ring(self) -> None:
        pass


def preset(sets: int = 2, reps: int = 2) -> Preset:
    return Preset(
        id="t",
        tempo=parse_tempo("2-1-2-1"),
        sets=sets,
        reps=reps,
        rest_ms=3000,
        get_ready_ms=2000,
        fallback=Fallback({Phase.POSITIVE: 1000}, after_rep=1),
    )


def session_for(p: Preset, history: Path) -> tuple[WorkoutSession, FakeClock, Host]:
    clock, host = FakeClock(), Host()
    options = RunOptions(mute=True, history=history)
    session = WorkoutSession(p, options, host, Sound(options, host.ring), clock)
    session.start(session.sound.open(p), threaded=False)
    return session, clock, host


def saved_sets(history: Path) -> list[tuple[int, int, bool]]:
    store = HistoryStore.open(history)
    try:
        return [(s.set, s.reps_done, s.completed) for w in store.workouts() for s in w.sets]
    finally:
        store.close()


def test_enter_just_after_the_last_positive_ends_still_finishes_and_saves_the_set(tmp_path: Path) -> None:
    """The reported case: 1 set x 1 rep, Enter 10 ms after the last positive ends, before the cue
    thread has stepped. The catch-up's events (set done, workout done) must reach the app."""
    history = tmp_path / "h.sqlite3"
    session, clock, host = session_for(preset(sets=1, reps=1), history)
    set_ends = 1000.0 + 2.0 + 2 + 1 + 2  # get ready, negative, bottom hold, positive
    step_until(session.coach, clock, set_ends - 0.5)  # type: ignore[arg-type]
    clock.now = set_ends + 0.010
    assert session.act(Action.END_SET) == "no set in progress"
    assert any(isinstance(e, WorkoutDone) for e in host.batches)
    session.close()
    assert saved_sets(history) == [(1, 1, True)]


def test_quitting_just_after_a_set_ends_saves_it_complete_not_cut_short(tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite3"
    session, clock, _ = session_for(preset(sets=2, reps=1), history)
    set_ends = 1000.0 + 2.0 + 5.0
    step_until(session.coach, clock, set_ends - 0.5)  # type: ignore[arg-type]
    clock.now = set_ends + 0.010  # 10 ms after set 1's only positive ended; not stepped since
    session.close()
    assert saved_sets(history) == [(1, 1, True)]


TIMING = st.sampled_from(["at", "just after", "between"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(TIMING, st.floats(0.0, 1.0), st.sampled_from(list(Action))), min_size=1, max_size=20))
def test_actions_at_any_instant_save_every_set_exactly_once(tmp_path_factory: object, steps: list[tuple[str, float, Action]]) -> None:
    """Actions exactly at, just after and between deadlines, without stepping the clock first:
    every set the engine finished reaches the history once, with the reps the engine counted."""
    history = tmp_path_factory.mktemp("h") / "h.sqlite3"  # type: ignore[attr-defined]
    session, clock, host = session_for(preset(), history)
    workout = session.workout
    assert workout is not None
    for timing, fraction, action in steps:
        deadline = workout.next_deadline
        if deadline is None:  # paused or done: move on a little
            clock.now += 0.5 + fraction
        elif timing == "at":
            clock.now = max(clock.now, deadline)
        elif timing == "just after":
            clock.now = max(clock.now, deadline + 0.001 + fraction * 0.02)
        else:
            clock.now = max(clock.now, clock.now + fraction * (deadline - clock.now))
        session.act(action)
    session.close()
    finished = [(e.set, e.reps_done, e.completed) for e in host.batches if isinstance(e, SetCompleted)]
    assert [number for number, _, _ in finished] == list(range(1, len(finished) + 1))
    saved = saved_sets(history)
    assert saved[: len(finished)] == finished
    cut_short = saved[len(finished) :]  # the set in progress at close, if any
    assert cut_short in ([], [(len(finished) + 1, cut_short[0][1] if cut_short else 0, False)])


def test_after_close_the_sound_opens_afresh_for_the_same_preset(monkeypatch: pytest.MonkeyPatch) -> None:
    """Back on the start screen after a summary, the same preset again: a closed device must not be reused."""
    opened: list[NullBackend] = []

    def open_sound(*args: object, **kwargs: object) -> NullBackend:
        opened.append(NullBackend("test"))
        return opened[-1]

    monkeypatch.setattr(session_module, "open_sound", open_sound)
    sound = Sound(RunOptions(), lambda: None)
    p = preset()
    first = sound.open(p)
    assert sound.open(p) is first  # open twice while it plays: the one device
    sound.close()
    assert sound.open(p) is not first and len(opened) == 2
