"""How each screen looks (pytest-textual-snapshot; update with --snapshot-update, then look at them).

The screens a lifter reads from the machine (coach, rest, summary) at 200×60, 100×30, 80×24 and
60×15; the others at 100×30 and 80×24; the coach screen in the light theme and under NO_COLOR too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_driver import build_app as build
from clock import step_until

SIZES = [(100, 30), (80, 24)]
ALL_SIZES = [(200, 60), (100, 30), (80, 24), (60, 15)]
SHORT = ["leg-press", "--sets", "2", "--reps", "3", "--rest", "90", "--get-ready", "3", "--mute"]


def at(seconds: float, *keys: str):
    """A run_before that moves the fake clock `seconds` on, then presses `keys`."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await pilot.pause()
        step_until(app.session.coach, app.clock, app.clock.now + seconds)
        app.refresh_view()
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_start_screen(snap_compare, size) -> None:
    assert snap_compare(build(["--mute"]), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_start_screen_routine_with_history(snap_compare, size, tmp_path) -> None:
    """Leg day highlighted: its exercises, the leg press's last session, today's suggestion and the
    load it offers (the history is the conftest's TEMPO_COACH_HISTORY)."""
    from progress_history import Row, weeks

    weeks(tmp_path / "history.sqlite3", "Leg press", [[Row(12, 100, fallback=9), Row(12, 100, fallback=10), Row(11, 100)]])

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press(*["down"] * 5)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(build(["--mute"]), terminal_size=size, run_before=run_before)


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


@pytest.mark.parametrize("size", ALL_SIZES, ids=size_id)
def test_coach_screen_mid_positive_with_fallback_on(snap_compare, size) -> None:
    # 3 s get ready, then rep 1: 2 s negative, 1 s bottom hold, 1.2 s into the 2 s positive.
    assert snap_compare(build(SHORT), terminal_size=size, run_before=at(7.2, "f"))


def test_coach_screen_light_theme(snap_compare) -> None:
    async def run_before(pilot) -> None:
        pilot.app.theme = "textual-light"
        await at(7.2)(pilot)

    assert snap_compare(build(SHORT), terminal_size=(100, 30), run_before=run_before)


def test_coach_screen_no_color(snap_compare, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # read when the app is built
    assert snap_compare(build(SHORT), terminal_size=(100, 30), run_before=at(7.2))


@pytest.mark.parametrize("size", SIZES)
def test_get_ready_screen(snap_compare, size) -> None:
    assert snap_compare(build(SHORT), terminal_size=size, run_before=at(0.5))


@pytest.mark.parametrize("size", ALL_SIZES, ids=size_id)
def test_rest_screen(snap_compare, size) -> None:
    # The whole first set (3 reps of 6 s, the last ending on its positive) then 20 s of rest.
    assert snap_compare(build(SHORT), terminal_size=size, run_before=at(3 + 17 + 20))


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, size) -> None:
    assert snap_compare(build(SHORT), terminal_size=size, run_before=at(4, "question_mark"))


@pytest.mark.parametrize("size", ALL_SIZES, ids=size_id)
def test_summary_screen(snap_compare, size) -> None:
    # Set 1 complete, 90 s rest, set 2 cut short with enter during rep 2.
    async def run_before(pilot) -> None:
        await at(3 + 17 + 90 + 3 + 8)(pilot)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()  # the sets are committed: the note says so
        await pilot.pause()

    assert snap_compare(build(SHORT), terminal_size=size, run_before=run_before)


def test_paused_coach_screen(snap_compare) -> None:
    assert snap_compare(build(SHORT), terminal_size=(80, 24), run_before=at(4.5, "space"))


@pytest.fixture
def history_with_loads(tmp_path, monkeypatch):
    """Six weeks of leg press with loads and a bodyweight push-up, at a short relative path (the
    status line shows it) and in UTC (the table shows local times)."""
    import time

    from progress_history import Row, weeks

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEMPO_COACH_HISTORY", "history.sqlite3")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    sessions = [[Row(12, load=100.0 + 2.5 * w, fallback=9 + w % 2), Row(11 + w % 2, load=100.0 + 2.5 * w)] for w in range(6)]
    weeks(Path("history.sqlite3"), "Leg press", sessions)
    weeks(Path("history.sqlite3"), "Push-up", [[Row(15 + w, load=0.0, bodyweight=True, target=None)] for w in range(3)], preset="push-up")
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_history_screen(snap_compare, size, history_with_loads) -> None:
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("h")
        for _ in range(50):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if pilot.app.screen.has_class("loaded"):
                break

    assert snap_compare(build(["--mute"]), terminal_size=size, run_before=run_before)
