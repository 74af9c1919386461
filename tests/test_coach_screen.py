"""The coach and rest screens read from two metres: big glyphs that fill the terminal, a bar that
moves on its own between redraws, keys that apply, and the optional flash on each phase change."""

from __future__ import annotations

import dataclasses

import pytest
from app_driver import build_app
from clock import FakeClock, step_until

from tempo_coach.audio.bell import BellBackend
from tempo_coach.cli.commands import build_parser, load_with_overrides, run_options
from tempo_coach.runtime import session as session_module
from tempo_coach.tui.app import TempoCoachApp, make_app
from tempo_coach.tui.screens.rest import RestScreen
from tempo_coach.tui.widgets.big_text import BigText
from tempo_coach.tui.widgets.countdown import Countdown
from tempo_coach.tui.widgets.phase_bar import FASTEST_FRAME_S, PhaseBar, bar_text, frame_s, next_step_at

SHORT = ["leg-press", "--sets", "2", "--reps", "12", "--rest", "90", "--get-ready", "3", "--mute"]
MID_POSITIVE = 3 + 2 + 1 + 1.2
"""Get ready 3 s, then rep 1: 2 s negative, 1 s bottom hold, 1.2 s into the 2 s positive."""


async def advance(app: TempoCoachApp, pilot, seconds: float) -> None:
    assert app.session is not None and app.session.coach is not None
    step_until(app.session.coach, app.clock, app.clock.now + seconds)  # type: ignore[attr-defined]
    app.refresh_view()
    await pilot.pause()


def heights(app: TempoCoachApp) -> tuple[int, int]:
    """Rows of the countdown and of the rep count, as drawn."""
    countdown = app.screen.query_one(Countdown).rendered
    rep = app.screen.query_one("#rep", BigText).rendered
    return countdown.height, rep.height


@pytest.mark.parametrize(("size", "countdown_rows", "rep_rows"), [((100, 30), 10, 5), ((200, 60), 20, 10), ((80, 24), 4, 4)])
async def test_the_countdown_and_the_rep_count_grow_with_the_terminal(size, countdown_rows, rep_rows) -> None:
    app = build_app(SHORT)
    async with app.run_test(size=size) as pilot:
        await advance(app, pilot, MID_POSITIVE)
        countdown, rep = heights(app)
        assert countdown >= countdown_rows and rep >= rep_rows, (countdown, rep)
        assert app.screen.query_one("#rep", BigText).text == "1/12"


async def test_a_small_terminal_gets_todays_compact_lines() -> None:
    app = build_app(SHORT)
    async with app.run_test(size=(40, 10)) as pilot:
        await advance(app, pilot, MID_POSITIVE)
        assert app.screen.query_one("#banner", BigText).rendered.lines == ("POSITIVE",)
        for big in app.screen.query(BigText):
            assert big.rendered.height <= big.size.height and big.rendered.width <= big.size.width


async def test_the_bar_moves_between_redraws_from_the_clock_alone() -> None:
    """It was redrawn only when the whole second changed: a 1 s phase never moved."""
    app = build_app(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 3 + 2 + 0.1)  # 0.1 s into the 1 s bottom hold
        bar = app.screen.query_one(PhaseBar)
        width = bar.content_size.width
        assert bar.running
        seen = [bar.eighths]
        for _ in range(9):
            app.clock.advance(0.1)  # type: ignore[attr-defined]
            bar.tick()  # what its timer does, without the app's once-a-second redraw
            seen.append(bar.eighths)
        assert seen == sorted(seen) and len(set(seen)) == 10
        assert seen[-1] == 8 * width  # the phase is over: the bar is full


async def test_the_once_a_second_redraw_leaves_a_running_bar_to_its_own_steps() -> None:
    """The countdown's redraw painted the bar too, a second paint a few milliseconds from the bar's
    own step (bench/cpu.py: each paint is CPU the budget has no room for)."""
    app = build_app(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 3 + 0.5)  # half way through the 2 s negative
        bar = app.screen.query_one(PhaseBar)
        painted: list[int] = []
        bar.refresh = lambda *a, **k: painted.append(bar.eighths)  # type: ignore[method-assign]
        app.clock.advance(0.6)  # type: ignore[attr-defined]
        app.refresh_view()  # the countdown goes from 2 to 1: the bar's phase runs on
        assert painted == [] and bar.running
        app.clock.advance(1.0)  # type: ignore[attr-defined]
        step_until(app.session.coach, app.clock, app.clock.now)  # type: ignore[union-attr, attr-defined]
        app.refresh_view()  # a new phase: the bar is drawn with the rest of the screen
        assert painted == [bar.eighths] and bar.eighths < 8 * bar.content_size.width // 2


def test_the_bar_steps_on_a_grid_from_the_phase_start_and_leaves_the_end_to_the_next_phase() -> None:
    steps, now, eighths = [], 10.0, 0
    while (at := next_step_at(10.0, 1.0, now, eighths, 100)) is not None:
        steps.append(round(at - 10.0, 3))
        now, eighths = at, int((at - 10.0) * 800)
    assert len(steps) == 9 and steps[0] == round(0.1 + 0.001, 3)  # 10 positions in a 1 s phase
    assert steps[-1] < 1.0  # none at the end: the next phase redraws it


def test_a_narrow_bar_in_a_long_rest_wakes_only_when_its_fill_changes() -> None:
    """Two cells in a 90 s rest: 16 eighths, one every 5.6 s; a wake-up a second drew nothing new."""
    at = next_step_at(0.0, 90.0, 0.0, 0, 2)
    assert at is not None and at >= 90 / 16


def test_a_phase_gets_at_least_ten_steps_and_never_more_than_12_a_second() -> None:
    assert 1.0 / frame_s(1.0) >= 10 and 2.0 / frame_s(2.0) >= 10
    assert frame_s(0.5) == FASTEST_FRAME_S and frame_s(90) == 1.0


def test_the_bar_text_fills_in_eighths() -> None:
    assert bar_text(0, 4) == ("", "────")
    assert bar_text(3, 4) == ("▍", "───")
    assert bar_text(8 * 2 + 4, 4) == ("██▌", "─")
    assert bar_text(99, 4) == ("████", "")


async def test_the_bar_stands_still_while_paused_and_under_another_screen() -> None:
    app = build_app(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 4.0)
        coach_bar = app.screen.query_one(PhaseBar)
        await pilot.press("space")
        await pilot.pause()
        assert not coach_bar.running
        await pilot.press("space", "question_mark")
        await pilot.pause()
        assert not coach_bar.running  # help is over it
        await pilot.press("escape")
        await pilot.pause()
        assert coach_bar.running
        await advance(app, pilot, 3 + 72 + 1 - 4)  # the whole first set, then 1 s of rest
        assert isinstance(app.screen, RestScreen)
        assert app.screen.query_one(PhaseBar).running and not coach_bar.running


def flashing(app: TempoCoachApp) -> bool:
    return app.screen.styles.inline.has_rule("background")


def app_with(options_change: dict[str, object], argv: list[str] = SHORT) -> TempoCoachApp:
    args = build_parser().parse_args(["run", *argv])
    options = dataclasses.replace(run_options(args), **options_change)  # type: ignore[arg-type]
    return make_app(load_with_overrides(args), options, clock=FakeClock(), threaded=False)


async def test_flash_true_flashes_the_screen_in_the_new_phases_colour_and_l_turns_it_off() -> None:
    app = app_with({"flash": True})
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 1.0)
        assert not flashing(app)
        assert str(app.screen.query_one("#sound").content).endswith("+ flash")
        step_until(app.session.coach, app.clock, app.clock.now + 2.5)  # type: ignore[union-attr, attr-defined]
        app.refresh_view()  # the negative starts: the flash is set at once
        assert flashing(app)
        assert app.screen.styles.inline.background.hex.lower() == "#4477aa"
        for _ in range(100):  # and it is over in a moment (0.3 s; this allows 5 s)
            await pilot.pause(0.05)
            if not flashing(app):
                break
        assert not flashing(app)
        await pilot.press("l")
        await advance(app, pilot, 2.0)  # the bottom hold starts
        assert not flashing(app)
        assert not str(app.screen.query_one("#sound").content).endswith("+ flash")


async def test_no_flash_unless_asked_for() -> None:
    app = build_app(SHORT)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 3.5)
        assert not flashing(app)


async def test_volume_is_offered_only_when_there_is_a_sound_device(monkeypatch) -> None:
    monkeypatch.setattr(session_module, "open_sound", lambda preset, backend, ring, **_: BellBackend(ring, why="no sound card found"))
    app = build_app([a for a in SHORT if a != "--mute"])
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, pilot, 3.5)
        assert app.check_action("volume", (1,)) is False
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Volume" not in titles and "Volume down" not in titles and "Mute" in titles
        footer_keys = [active.binding.description for active in app.screen.active_bindings.values() if active.binding.show]
        assert "Volume" not in footer_keys
        assert str(app.screen.query_one("#sound").content) == "sound: no sound card found: terminal bell (1 down, 2 hold, 3 push)"
    muted = build_app(SHORT)
    async with muted.run_test(size=(100, 30)) as pilot:
        await advance(muted, pilot, 3.5)
        assert muted.check_action("volume", (1,)) is False
