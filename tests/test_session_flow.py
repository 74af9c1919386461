"""A whole training session in the real app on a fake clock: a routine of a superset and a second
exercise, with load changes and effort tags, and exactly that in the history afterwards."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from app_driver import advance
from clock import FakeClock

from tempo_coach.core.load import Load, Unit
from tempo_coach.core.routine import Block, Exercise, Routine, WarmupSet
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.presets import catalog
from tempo_coach.runtime.options import RunOptions
from tempo_coach.runtime.training import Training
from tempo_coach.tui.app import TempoCoachApp, make_app
from tempo_coach.tui.screens.coach import CoachScreen
from tempo_coach.tui.screens.rest import RestScreen
from tempo_coach.tui.screens.start import StartScreen
from tempo_coach.tui.screens.summary import SummaryScreen
from tempo_coach.tui.widgets.line import Line

from cli_runner import run_cli


def quick(preset_id: str, **changes: object):
    """A shipped preset made quick: 1 s down, 1 s up, 2 reps a set, 1 s to get ready."""
    preset = catalog.find(preset_id)
    return dataclasses.replace(preset, tempo=parse_tempo("1-0-1-0"), reps=2, get_ready_ms=1000, rest_ms=5000, **changes)


def routine() -> Routine:
    leg_press = Exercise(quick("leg-press-normal", sets=2), load=Load(100, Unit.KG), warmup=(WarmupSet(2, Load(60, Unit.KG)),))
    push_up = Exercise(quick("push-up", sets=2), load=Load(0, Unit.KG, bodyweight=True))
    squat = Exercise(quick("goblet-squat", sets=1), load=Load(40, Unit.LB))
    blocks = (Block((leg_press, push_up), superset=True, rest_ms=5000, rest_after_ms=30_000), Block((squat,)))
    return Routine("test-day", "Test day", blocks)


def routine_app(history: Path) -> TempoCoachApp:
    """The app as `tempo-coach run test-day` would build it, on a fake clock."""
    options = RunOptions(preset="test-day", mute=True, history=history)
    training = Training.of_routine(routine())
    return make_app(training.preset, options, clock=FakeClock(), threaded=False, training=training)


def line(app: TempoCoachApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Line).content)


async def test_a_routine_runs_through_its_blocks_and_the_history_holds_what_was_entered(tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite3"
    app = routine_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert line(app, "#set") == "Warm-up 1/1"
        assert "60 kg" in line(app, "#title")
        await advance(app, pilot, 1 + 4)  # get ready, then the warm-up's 2 reps of 1 s down, 1 s up
        assert isinstance(app.screen, RestScreen)
        assert line(app, "#next") == "Next: set 1/2 · 100 kg · 2 reps at 1-0-1-0"
        await pilot.press("right")  # 5 s rest + 15 s
        await pilot.press("1")  # the warm-up: 1 in reserve
        await advance(app, pilot, 19.5)
        assert isinstance(app.screen, RestScreen)  # still resting: 20 s in all
        await advance(app, pilot, 0.5 + 4)  # leg press set 1 at 100 kg, then straight on: the push-up's get-ready
        assert isinstance(app.screen, CoachScreen) and line(app, "#set") == "Set 1/2"
        assert "bodyweight" in line(app, "#title")
        await advance(app, pilot, 1 + 4)  # push-up set 1: the round is over, rest
        assert isinstance(app.screen, RestScreen)
        assert line(app, "#next") == "Next: Leg press · set 2/2 · 100 kg · 2 reps at 1-0-1-0"
        await pilot.press("2")  # the push-ups: 2 in reserve
        await pilot.press("right_square_bracket")  # the leg press one increment heavier
        await pilot.pause()
        assert line(app, "#next") == "Next: Leg press · set 2/2 · 102.5 kg · 2 reps at 1-0-1-0"
        assert line(app, "#last").startswith("Push-up, set 1: 2/2 reps · bodyweight")  # the round's end: which exercise
        assert line(app, "#last").endswith("· RIR 2")
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"knee ok", "enter")
        await pilot.pause()
        assert line(app, "#last").endswith("· RIR 2 · note: knee ok")
        await advance(app, pilot, 5 + 4 + 1 + 4)  # rest, leg press set 2, the push-up's get-ready and set 2
        assert isinstance(app.screen, SummaryScreen)
        assert "Goblet squat in 0:30" in str(app.screen.query_one("#summary-next").content)
        await app.workers.wait_for_complete()
        await pilot.press("0")  # the block's last set, the push-ups, went to failure
        await pilot.pause()
        assert str(app.screen.query_one("#summary-tag").content) == "Last set: RIR 0"
        await pilot.press("n")  # the next exercise now
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert "40 lb" in line(app, "#title")
        await advance(app, pilot, 1 + 4)
        assert isinstance(app.screen, SummaryScreen)
        assert "back to the start screen" in str(app.screen.query_one("#summary-next").content)
        await app.workers.wait_for_complete()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"felt light", "enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)

    result = run_cli("history", "--json", "--history", str(history))
    assert result.returncode == 0, result.stderr
    workouts = json.loads(result.stdout)
    sets = sorted(
        ((w["exercise"], w["routine"], s["set"], s["warmup"], s["load"], s["unit"], s["bodyweight"], s["reps_done"], s["rir"], s["note"], s["ended"])
         for w in workouts for s in w["sets"]),
    )
    assert sets == sorted([
        ("Leg press", "test-day", 1, True, 60.0, "kg", False, 2, 1, "", "completed"),
        ("Leg press", "test-day", 2, False, 100.0, "kg", False, 2, None, "", "completed"),
        ("Leg press", "test-day", 3, False, 102.5, "kg", False, 2, None, "", "completed"),
        ("Push-up", "test-day", 1, False, 0.0, "kg", True, 2, 2, "knee ok", "completed"),
        ("Push-up", "test-day", 2, False, 0.0, "kg", True, 2, 0, "", "completed"),
        ("Goblet squat", "test-day", 1, False, 40.0, "lb", False, 2, None, "felt light", "completed"),
    ])


async def test_quitting_mid_routine_keeps_every_finished_set_of_every_exercise(tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite3"
    app = routine_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(app, pilot, 1 + 4 + 5 + 4 + 1 + 4 + 5 + 4 + 1 + 4)  # the whole superset block
        assert isinstance(app.screen, SummaryScreen)
        await app.workers.wait_for_complete()
        await pilot.press("n")
        await pilot.pause()
        await advance(app, pilot, 1 + 3)  # the goblet squat's first rep and half its second
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    result = run_cli("history", "--json", "--history", str(history))
    workouts = json.loads(result.stdout)
    ended = sorted((w["exercise"], s["set"], s["reps_done"], s["ended"]) for w in workouts for s in w["sets"])
    assert ended == [
        ("Goblet squat", 1, 1, "cut short"),
        ("Leg press", 1, 2, "completed"), ("Leg press", 2, 2, "completed"), ("Leg press", 3, 2, "completed"),
        ("Push-up", 1, 2, "completed"), ("Push-up", 2, 2, "completed"),
    ]  # fmt: skip


async def test_the_fallback_key_works_in_a_superset_exercise_that_has_one(tmp_path: Path) -> None:
    squat = Exercise(quick("goblet-squat", sets=1))  # no fallback
    press = Exercise(quick("leg-press", sets=1))  # positive 1 s -> fallback
    training = Training((Block((squat, press), superset=True, rest_ms=5000),), "ss")
    app = make_app(training.preset, RunOptions(preset="ss", mute=True, history=tmp_path / "h.sqlite3"), clock=FakeClock(), threaded=False, training=training)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(app, pilot, 1 + 4 + 1 + 0.5)  # the squat's set, the leg press's get-ready, into its first rep
        assert "Leg press" in line(app, "#title")
        await pilot.press("f")
        await pilot.pause()
        assert app.session is not None and app.session.workout is not None
        assert app.session.workout.fallback_on
        assert line(app, "#fallback").startswith("Fallback ON")


async def test_moving_on_before_the_summary_has_saved_closes_the_finished_exercise_not_the_next(tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite3"
    training = Training.of_routine(routine())
    app = make_app(training.preset, RunOptions(preset="test-day", mute=True, history=history), clock=FakeClock(), threaded=False, training=training)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        busy = threading.Event()
        executor = ThreadPoolExecutor(max_workers=1)  # the thread workers wait while the machine is busy
        asyncio.get_running_loop().set_default_executor(executor)
        executor.submit(busy.wait, 10)
        await advance(app, pilot, 1 + 4 + 5 + 4 + 1 + 4 + 5 + 4 + 1 + 4)  # the whole superset block
        assert isinstance(app.screen, SummaryScreen)
        first = app.session
        await pilot.press("n")  # on at once, before the summary's worker has closed the first exercise
        await pilot.pause()
        second = app.session
        busy.set()
        await app.workers.wait_for_complete()
        assert first is not None and first._closed
        assert second is not None and not second._closed
        await advance(app, pilot, 1 + 4)  # the goblet squat's set, then its summary
        assert isinstance(app.screen, SummaryScreen)
        await app.workers.wait_for_complete()
    result = run_cli("history", "--json", "--history", str(history))
    assert "Goblet squat" in {w["exercise"] for w in json.loads(result.stdout)}


async def test_a_load_typed_during_the_rest_counts_for_the_set_even_if_the_rest_ran_out_meanwhile(tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite3"
    training = Training.of_preset(quick("leg-press-normal", sets=2), Load(100, Unit.KG))
    app = make_app(training.preset, RunOptions(preset="leg-press-normal", mute=True, history=history), clock=FakeClock(), threaded=False, training=training)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(app, pilot, 1 + 4 + 4)  # set 1, then 4 s of the 5 s rest
        assert isinstance(app.screen, RestScreen)
        await pilot.press("w", *"105")  # the plates go on, the lifter types the load...
        await advance(app, pilot, 1.5)  # ...and the rest runs out meanwhile: set 2 starts
        await pilot.press("ctrl+u", *"105", "enter")
        await pilot.pause()
        assert "105 kg" in line(app, "#title")
        await advance(app, pilot, 4)
        assert isinstance(app.screen, SummaryScreen)
        await app.workers.wait_for_complete()
    result = run_cli("history", "--json", "--history", str(history))
    [workout] = json.loads(result.stdout)
    assert [s["load"] for s in workout["sets"]] == [100.0, 105.0]


async def test_a_warm_up_too_short_for_the_automatic_fallback_does_not_promise_it(tmp_path: Path) -> None:
    press = Exercise(dataclasses.replace(quick("leg-press", sets=1), reps=12), warmup=(WarmupSet(8, Load(60, Unit.KG)),))  # after_rep: 8
    training = Training((Block((press,)),), "t")
    app = make_app(training.preset, RunOptions(preset="t", mute=True, history=tmp_path / "h.sqlite3"), clock=FakeClock(), threaded=False, training=training)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert line(app, "#set") == "Warm-up 1/1"
        assert "automatic" not in line(app, "#fallback")  # 8 reps: rep 9 never comes
        await advance(app, pilot, 1 + 16 + 5 + 0.5)  # the warm-up, its rest, into set 1 of 12
        assert line(app, "#set") == "Set 1/1"
        assert line(app, "#fallback").endswith("automatic from rep 9)")


async def test_the_next_exercise_starts_when_its_rest_runs_out_even_with_help_open(tmp_path: Path) -> None:
    training = Training.of_routine(routine())
    app = make_app(training.preset, RunOptions(preset="test-day", mute=True, history=tmp_path / "h.sqlite3"), clock=FakeClock(), threaded=False, training=training)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(app, pilot, 1 + 4 + 5 + 4 + 1 + 4 + 5 + 4 + 1 + 4)  # the whole superset block
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("question_mark")  # help, during the 30 s before the goblet squat
        await pilot.pause()
        app.clock.advance(31)  # type: ignore[attr-defined]
        for _ in range(30):  # the summary's countdown wakes at least once a second
            await pilot.pause(0.1)
            if isinstance(app.screen, CoachScreen):
                break
        assert isinstance(app.screen, CoachScreen) and "Goblet squat" in line(app, "#title")
