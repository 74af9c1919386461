"""Pilot tests of the coach TUI on a fake clock: the test moves time and steps the coach itself."""

from __future__ import annotations

import asyncio

import pytest
from app_driver import advance, build_app
from clock import FakeClock
from markers import realtime
from textual.widgets import DataTable, Input, OptionList

from tempo_coach.audio.backend import Backend
from tempo_coach.history.store import HistoryStore
from tempo_coach.paths import history_path
from tempo_coach.runtime import session as session_module
from tempo_coach.tui import app as app_module
from tempo_coach.tui.app import TempoCoachApp, next_redraw_in
from tempo_coach.tui.screens.coach import CoachScreen
from tempo_coach.tui.screens.help import HelpScreen
from tempo_coach.tui.screens.quit import QuitScreen
from tempo_coach.tui.screens.rest import RestScreen
from tempo_coach.tui.screens.start import StartScreen
from tempo_coach.tui.screens.summary import SummaryScreen
from tempo_coach.tui.widgets.big_text import BigText
from tempo_coach.tui.widgets.countdown import Countdown

SHORT = ["leg-press", "--sets", "2", "--reps", "2", "--rest", "5", "--get-ready", "3"]


def build(argv: list[str]) -> tuple[TempoCoachApp, FakeClock]:
    app = build_app([*argv, "--mute"])
    return app, app.clock  # type: ignore[return-value]


def text(app: TempoCoachApp, selector: str) -> str:
    """A line's text; for big text, its one-line form ('PAUSED · POSITIVE', 'Rep 1/2')."""
    widget = app.screen.query_one(selector)
    return widget.plain if isinstance(widget, BigText) else str(widget.content)


def countdown(app: TempoCoachApp) -> str:
    return app.screen.query_one(Countdown).text


async def test_a_whole_short_workout() -> None:
    """Get ready, phases in order, pause, fallback, end set, skip rest, second set, summary."""
    app, _ = build(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert text(app, "#banner") == "GET READY"
        assert countdown(app) == "3"
        assert text(app, "#set") == "Set 1/2"

        await advance(app, pilot, 3.0)
        assert text(app, "#banner") == "NEGATIVE"
        assert countdown(app) == "2"
        assert text(app, "#rep") == "Rep 1/2"
        assert text(app, "#tempo") == "Tempo [2]-1-2-1"
        await advance(app, pilot, 1.5)
        assert countdown(app) == "1"  # whole seconds, rounded up
        await advance(app, pilot, 0.5)
        assert text(app, "#banner") == "BOTTOM HOLD"
        await advance(app, pilot, 1.0)
        assert text(app, "#banner") == "POSITIVE"
        assert text(app, "#tempo") == "Tempo 2-1-[2]-1"
        assert "Drive through the heels" in text(app, "#cue")

        await pilot.press("space")
        await advance(app, pilot, 30.0)
        assert text(app, "#banner") == "PAUSED · POSITIVE"
        assert countdown(app) == "2"
        await pilot.press("space")
        await advance(app, pilot, 2.0)
        assert text(app, "#banner") == "TOP HOLD"
        assert text(app, "#tut") == "TUT 0:05"

        assert text(app, "#fallback").startswith("Fallback off")
        await pilot.press("f")
        await advance(app, pilot, 1.0)
        assert text(app, "#banner") == "NEGATIVE"
        assert text(app, "#rep") == "Rep 2/2"
        assert text(app, "#fallback") == "Fallback ON: positive 2 s → 1 s from rep 2"
        assert text(app, "#tempo") == "Tempo [2]-1-1-1"
        await advance(app, pilot, 3.0)
        assert text(app, "#banner") == "POSITIVE"
        assert countdown(app) == "1"  # the fallback's 1 s positive
        assert text(app, "#tempo") == "Tempo 2-1-[1]-1"
        assert text(app, "#fallback") == "Fallback ON: positive 2 s → 1 s since rep 2"

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RestScreen)
        assert text(app, "#banner") == "REST"
        assert countdown(app) == "5"
        assert text(app, "#next") == "Next: set 2/2 · 2 reps at 2-1-2-1"
        assert text(app, "#last") == "Set 1: 1/2 reps · TUT 0:09 · fallback from rep 2"

        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert text(app, "#banner") == "GET READY"  # a rest cut short: time to get to the machine
        assert text(app, "#set") == "Set 2/2"
        assert text(app, "#fallback").startswith("Fallback off")  # lasts one set

        await advance(app, pilot, 3.0 + 6.0 + 5.0)
        assert isinstance(app.screen, SummaryScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        assert [str(c) for c in table.get_row_at(0)] == ["1", "–", "1", "2", "0:09", "rep 2", "ended"]
        assert [str(c) for c in table.get_row_at(1)] == ["2", "–", "2", "2", "0:11", "–", "completed"]
        assert "3 reps" in str(app.screen.query_one("#totals").content)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(app.screen.query_one("#saved").content) == "Saved 2 sets to history · see them with: tempo-coach history"
        assert text(app, "#summary-next") == "n: back to the start screen"  # never straight out of the app
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and app.is_running
    with HistoryStore.open(history_path()) as store:
        [workout] = store.workouts()
    assert (workout.preset, workout.tempo) == ("leg-press", "2-1-2-1")
    assert [(s.reps_done, s.fallback_rep, s.completed) for s in workout.sets] == [(1, 2, False), (2, None, True)]


async def test_quit_mid_set_asks_first() -> None:
    app, _ = build(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 4.0)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert app.is_running
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 0
    assert app.session is not None and app.session.workout is not None and not app.session.workout.done
    with HistoryStore.open(history_path()) as store:
        [workout] = store.workouts()
    [cut_short] = workout.sets
    assert (cut_short.set, cut_short.reps_done, cut_short.completed) == (1, 0, False)


async def test_help_opens_and_closes_over_the_coach() -> None:
    app, _ = build(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 3.5)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "drive through the heels" in str(
            app.screen.query_one("#help-text").content
        )
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)


async def test_end_set_is_offered_only_in_a_set_and_skip_only_while_counting_down() -> None:
    app, _ = build(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.check_action("skip", ()) is True
        assert app.check_action("end_set", ()) is False
        await advance(app, pilot, 3.5)
        assert app.check_action("skip", ()) is False
        assert app.check_action("end_set", ()) is True


async def test_start_screen_starts_the_default_preset_with_one_key() -> None:
    app = build_app(["--mute", "--get-ready", "3"])
    assert app.options.preset is None
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        presets = app.screen.query_one(OptionList)
        assert presets.get_option_at_index(presets.highlighted).id == "leg-press"
        details = str(app.screen.query_one("#details").content)
        assert "Drive through the heels" in details and "Notes" in details
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert text(app, "#banner") == "GET READY"
        assert text(app, "#set") == "Set 1/3"


async def test_start_screen_overrides_sets_reps_rest() -> None:
    app = build_app(["--mute"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#sets", Input).value = "1"
        app.screen.query_one("#reps", Input).value = "amrap"
        app.screen.query_one("#rest", Input).value = "30"
        app.screen.query_one("#rest", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CoachScreen)
        assert app.preset.sets == 1 and app.preset.reps is None and app.preset.rest_ms == 30_000
        assert text(app, "#set") == "Set 1/1"


async def test_an_invalid_override_does_not_start() -> None:
    app = build_app(["--mute"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#sets", Input).value = "0"
        app.screen.query_one(OptionList).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert app.session is None


async def test_nothing_is_redrawn_when_nothing_changed() -> None:
    """Battery: refreshing the same instant twice touches no widget; paused, no timer is left."""
    app, _ = build(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 3.5)
        calls: list[str] = []
        countdown_widget = app.screen.query_one(Countdown)
        original = countdown_widget.refresh
        countdown_widget.refresh = lambda *a, **k: (calls.append(countdown_widget.text), original(*a, **k))[1]  # type: ignore[method-assign]
        for _ in range(5):
            app.refresh_view()
        assert calls == []
        await advance(app, pilot, 1.0)
        assert calls == ["1"]
        await pilot.press("space")
        await pilot.pause()
        assert app._tick is None


@pytest.mark.parametrize("size", [(80, 24), (60, 16), (40, 10), (20, 6)])
async def test_small_terminals_degrade_without_crashing(size: tuple[int, int]) -> None:
    app, _ = build(SHORT)
    async with app.run_test(size=size) as pilot:
        await advance(app, pilot, 3.5)
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert text(app, "#banner") == "NEGATIVE"
        if size[1] >= 24:
            visible = app.screen.query_one("#fallback").region
            assert visible.height == 1 and visible.bottom <= size[1] - 1


def test_next_redraw_follows_the_countdown_but_never_faster_than_5_hz() -> None:
    from tempo_coach.core.engine import Workout
    from tempo_coach.core.model import Preset
    from tempo_coach.core.tempo import parse_tempo

    workout = Workout(Preset(id="t", tempo=parse_tempo("2-1-2-1"), rest_ms=120_000, get_ready_ms=3000))
    workout.start(0.0)
    view = workout.view(0.3)  # 2.7 s of get-ready left: the digit drops to 2 at 1.0
    assert next_redraw_in(view) == pytest.approx(0.71)
    assert next_redraw_in(workout.view(0.99)) == 0.2  # 10 ms to the digit change: no faster than 5 Hz


class Silent(Backend):
    """A sound backend that plays nothing: for tests of what the screen says about sound."""

    name, notice = "silent", "test"

    def play(self, cue: str, volume: float) -> None:
        pass

    def close(self) -> None:
        pass


async def test_sound_keys_change_the_sound_line_and_the_palette_lists_the_actions(monkeypatch) -> None:
    monkeypatch.setattr(session_module, "open_sound", lambda preset, backend, ring, **_: Silent())
    app, _ = build(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 3.5)
        assert text(app, "#sound") == "sound: silent · volume 100% — test"
        await pilot.press("m")
        assert app.session is not None and app.session.coach is not None and app.session.coach.muted
        assert text(app, "#sound") == "sound: silent · muted — test"
        assert app.check_action("unmute", ()) and not app.check_action("mute", ())  # the key reads Unmute
        await pilot.press("m", "minus")
        assert text(app, "#sound") == "sound: silent · volume 90% — test"
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Pause", "Fallback", "End set", "Mute", "Volume", "Volume down", "Flash", "Help"):
            assert title in titles
        assert "Skip" not in titles and "Unmute" not in titles and titles.count("Quit") == 1  # mid-set; only our Quit


async def test_muted_from_the_command_line_says_so() -> None:
    app, _ = build(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 3.5)
        assert text(app, "#sound") == "sound: none — muted: visual cues only"


async def test_quit_from_the_command_palette_asks_first_mid_set() -> None:
    app, _ = build(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 4.0)
        app.action_quit()
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen) and app.is_running


async def test_h_on_the_start_screen_opens_the_history() -> None:
    from tempo_coach.tui.screens.history import HistoryScreen

    app = build_app(["--mute"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)


async def test_ctrl_c_mid_set_stops_at_once_and_keeps_the_set_so_far() -> None:
    app, _ = build(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 3.0 + 6.0 + 2.5)  # rep 1 done, rep 2 under way
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 130
    with HistoryStore.open(history_path()) as store:
        [workout] = store.workouts()
    [cut_short] = workout.sets
    assert (cut_short.set, cut_short.reps_done, cut_short.completed) == (1, 1, False)
    assert cut_short.tut_s == pytest.approx(8.5)


@realtime
async def test_c_on_the_start_screen_plays_the_calibration_click_and_flashes(monkeypatch) -> None:
    played: list[str] = []

    class Recording(Backend):
        name, notice = "recording", "test"

        def play(self, cue: str, volume: float) -> None:
            played.append(cue)

        def close(self) -> None:
            pass

    monkeypatch.setattr(session_module, "open_sound", lambda preset, backend, ring, **_: Recording())
    app = build_app(["--audio-offset", "200"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        flashed = False
        for _ in range(100):  # the flash comes 0.6 s after the key
            await pilot.pause(0.02)
            flashed = flashed or app.screen.has_class("flash")
        await app.workers.wait_for_complete()
        assert played == ["click"]
        assert flashed and isinstance(app.screen, StartScreen)


async def test_a_device_that_stops_mid_workout_hands_over_to_the_bell(monkeypatch, tmp_path) -> None:
    from standins import standin_simpleaudio

    from tempo_coach.audio.bell import BellBackend

    standin_simpleaudio(monkeypatch, tmp_path / "lib", 'if plays > 2: raise RuntimeError("Error opening PCM device. -- CODE: -19 -- MSG: No such device")')
    app = build_app([*SHORT, "--backend", "simpleaudio"])
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 1.0)
        assert text(app, "#sound").startswith("sound: simpleaudio")
        await advance(app, pilot, 5.0)  # the 3-2-1 and go were all refused
        for _ in range(100):  # the child's answers come on its own time, not the fake clock's
            if isinstance(app.sound.backend, BellBackend):
                break
            await advance(app, pilot, 0.3)
            await asyncio.sleep(0.02)
        assert app.session is not None and app.session.coach is not None
        assert isinstance(app.sound.backend, BellBackend) and app.session.coach.backend is app.sound.backend
        assert text(app, "#sound") == "sound: sound card stopped: terminal bell (1 down, 2 hold, 3 push)"


async def test_the_palette_offers_skip_while_counting_down() -> None:
    app, _ = build(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Skip" in titles and "End set" not in titles


def test_a_broken_copy_of_the_default_preset_still_opens_the_start_screen(monkeypatch, tmp_path) -> None:
    from tempo_coach.cli import commands as cli

    folder = tmp_path / "config" / "tempo-coach" / "presets"  # conftest points XDG_CONFIG_HOME here
    folder.mkdir(parents=True)
    (folder / "leg-press.yaml").write_text("tempo: 2-1-2-1\ngetready: 10\n")
    opened = []
    monkeypatch.setattr(app_module, "run_app", lambda preset, options, training: opened.append(preset) or 0)
    monkeypatch.setattr(cli, "run_in_terminal", lambda run: run())
    monkeypatch.setattr(cli, "check_terminal", lambda: None)
    assert cli.main(["run"]) == 0
    assert [p.source for p in opened] == [cli.paths.shipped_presets_dir() / "leg-press.yaml"]
    assert cli.main(["run", "leg-press"]) == 1  # named on purpose: the error, not a stand-in


async def test_space_pauses_and_resumes_and_the_footer_says_which() -> None:
    app, _ = build(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 4.0)
        assert app.check_action("pause", ()) and not app.check_action("resume", ())
        await pilot.press("space")
        await pilot.pause()
        workout = app.session.workout if app.session else None
        assert workout is not None and workout.paused
        assert app.check_action("resume", ()) and not app.check_action("pause", ())
        await pilot.press("space")
        await pilot.pause()
        assert not workout.paused
