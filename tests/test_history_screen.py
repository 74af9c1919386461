"""The history screen in a minimal app: trends per exercise (load, volume, est. 1RM, reps, TUT),
recent workouts, deleting one after a yes, an empty or damaged history, back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.app import App
from textual.widgets import DataTable, Label, Sparkline, Static

from tempo_coach.core.events import SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.history.schema import HistoryError
from tempo_coach.history.store import HistoryStore
from tempo_coach.tui.screens.confirm import ConfirmScreen
from tempo_coach.tui.screens.history import HistoryScreen, TrendPanel

from progress_history import Row, weeks

LEG_PRESS = Preset(id="leg-press", tempo=parse_tempo("2-1-2-1"), exercise="Leg press", sets=2, reps=12)
PUSH_UP = Preset(id="push-up", tempo=parse_tempo("2-0-1-1"), exercise="Push-up", sets=1, reps=None)
DAY = datetime(2026, 11, 1, 17, 0, tzinfo=UTC)


class HistoryApp(App[None]):
    """Stands in for the real app: a start screen underneath, the history pushed on top."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.shown: list[HistoryScreen.Shown] = []

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self.path))

    def on_history_screen_shown(self, message: HistoryScreen.Shown) -> None:
        self.shown.append(message)


def fill(path: Path) -> None:
    with HistoryStore.open(path) as store, store.transaction():
        for week in range(5):
            wid = store.start_workout(LEG_PRESS, DAY + timedelta(weeks=week))
            for n in (1, 2):
                reps = 8 + week
                store.save_set(wid, SetCompleted(n, reps, 12, reps * 6.0, None, False, 0.0))
        wid = store.start_workout(PUSH_UP, DAY + timedelta(days=40))
        store.save_set(wid, SetCompleted(1, 30, None, 120.0, None, True, 0.0))


async def shown(app: HistoryApp, pilot) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    for _ in range(20):
        await pilot.pause()
        if app.shown:
            break
    assert app.shown, "the history never appeared"
    assert isinstance(app.screen, HistoryScreen)
    return app.screen


async def test_trends_and_recent_workouts_are_shown(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    fill(path)
    app = HistoryApp(path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await shown(app, pilot)
        panels = list(screen.query(TrendPanel))
        assert [p.trend.exercise.name for p in panels] == ["Push-up", "Leg press"]  # most recently trained first
        legs = panels[1]
        assert list(legs.query_one(".trend-reps", Sparkline).data or []) == [16, 18, 20, 22, 24]
        assert list(legs.query_one(".trend-tut", Sparkline).data or []) == [96.0, 108.0, 120.0, 132.0, 144.0]
        table = screen.query_one("#history-recent", DataTable)
        assert table.row_count == 6
        newest = [str(cell) for cell in table.get_row_at(0)]  # cells are plain Text, never markup
        assert newest[1:4] == ["push-up", "2-0-1-1", "30"]
        oldest = [str(cell) for cell in table.get_row_at(5)]
        assert oldest[1:4] == ["leg-press", "2-1-2-1", "8 8 /12"]  # ended with Enter short of 12: not cut short
        assert "6 workouts, 11 sets" in str(screen.query_one("#history-status", Static).content)


async def test_only_a_set_cut_short_is_marked_cut_short_not_one_ended_with_enter(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path) as store:
        wid = store.start_workout(LEG_PRESS, DAY)
        store.save_set(wid, SetCompleted(1, 12, 12, 72.0, None, True, 0.0))
        store.save_set(wid, SetCompleted(2, 9, 12, 54.0, None, False, 0.0))  # Enter at rep 9: ended
        store.save_set(wid, SetCompleted(3, 4, 12, 24.0, None, False, 0.0, cut_short=True))  # a quit
    app = HistoryApp(path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await shown(app, pilot)
        row = [str(cell) for cell in screen.query_one("#history-recent", DataTable).get_row_at(0)]
        assert row[3] == "12 9 4* /12"  # the column says: * cut short


async def test_escape_and_q_go_back(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    fill(path)
    app = HistoryApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await shown(app, pilot)
        await pilot.press("escape")
        assert not isinstance(app.screen, HistoryScreen)
        app.push_screen(HistoryScreen(path))
        await pilot.pause()
        await pilot.press("q")
        assert not isinstance(app.screen, HistoryScreen)


async def test_an_empty_history_says_where_sets_will_go(tmp_path: Path) -> None:
    path = tmp_path / "never-used.sqlite3"
    app = HistoryApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await shown(app, pilot)
        assert "No workouts recorded yet" in str(screen.query_one("#history-status", Static).content)
        assert not screen.query(TrendPanel)
    assert not path.exists()  # looking does not create it


async def test_a_damaged_history_is_reported_and_left_for_the_next_workout(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"not a database at all" * 200)
    app = HistoryApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await shown(app, pilot)
        error = app.shown[0].data.error
        assert error is not None and "damaged" in error and "the next workout moves it aside" in error
        assert "cannot be read" in str(screen.query_one("#history-status", Static).content)
    assert [p.name for p in tmp_path.iterdir()] == ["history.sqlite3"]  # looking never moves it
    assert path.read_bytes() == b"not a database at all" * 200


def fill_long(path: Path, workouts: int) -> None:
    """`workouts` leg-press workouts of three sets, written in one transaction."""
    with HistoryStore.open(path) as store, store.transaction() as conn:
        for i in range(workouts):
            wid = store.start_workout(LEG_PRESS if i % 2 else PUSH_UP, DAY + timedelta(hours=6 * i))
            conn.executemany(
                "INSERT INTO sets (workout_id, set_no, reps_done, reps_target, tut_s, fallback_rep, completed, saved_at, load, unit)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(wid, n, 10, 12, 60.0, None, 0, "2026-11-01T00:00:00.000+00:00", 100.0, "kg") for n in (1, 2, 3)],
            )


async def test_ten_thousand_workouts_open_and_show(tmp_path: Path) -> None:
    """A big history opens and shows every workout counted; how fast is bench/history_open.py's job
    (figures in bench/RESULTS.md), not a timed test's."""
    path = tmp_path / "long.sqlite3"
    fill_long(path, 10_000)
    app = HistoryApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(1000):  # at most 20 s, however slow the machine
            if app.shown:
                break
            await pilot.pause(0.02)
        assert app.shown, "the history screen never showed its data"
        assert app.shown[0].data.workouts == 10_000


async def test_load_volume_and_estimated_1rm_trends_leave_out_cut_short_and_zero_rep_sets(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    weeks(path, "Leg press", [
        [Row(10, load=40.0, warmup=True), Row(12, load=100.0), Row(12, load=100.0)],
        [Row(12, load=102.5), Row(10, load=102.5), Row(3, load=150.0, ended="cut short"), Row(0, load=150.0)],
        [Row(12, load=105.0), Row(2, load=200.0, ended="cut short")],
    ])
    weeks(path, "Push-up", [[Row(20, load=0.0, bodyweight=True, target=None)]] * 2, preset="push-up")
    app = HistoryApp(path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await shown(app, pilot)
        legs = next(p for p in screen.query(TrendPanel) if p.trend.exercise.name == "Leg press")
        assert list(legs.query_one(".trend-load", Sparkline).data or []) == [100.0, 102.5, 105.0]
        assert list(legs.query_one(".trend-volume", Sparkline).data or []) == [2400.0, 2255.0, 1260.0]
        assert list(legs.query_one(".trend-1rm", Sparkline).data or []) == [140.0, 143.5, 147.0]
        assert list(legs.query_one(".trend-reps", Sparkline).data or []) == [24.0, 22.0, 12.0]
        labels = [str(label.content) for label in legs.query(".trend-label").results(Label)]
        assert labels == ["load 105 kg (best 105)", "reps 12 (best 24)", "volume 1260 (best 2400)", "TUT 0:40 (best 1:20)", "est. 1RM 147 (best 147)"]
        push_up = next(p for p in screen.query(TrendPanel) if p.trend.exercise.name == "Push-up")
        assert not push_up.query("Sparkline.trend-load")
        assert "load: bodyweight" in [str(label.content) for label in push_up.query(".trend-label").results(Label)]


async def test_a_workout_is_deleted_after_a_yes_and_kept_after_a_no(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    fill(path)
    app = HistoryApp(path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await shown(app, pilot)
        await pilot.press("down", "d")  # the second newest: the last leg-press workout
        question = app.screen.query_one("#confirm-question", Label)
        assert isinstance(app.screen, ConfirmScreen) and "leg-press, 2 sets?" in str(question.content)
        await pilot.press("n")
        assert app.screen is screen  # type: ignore[comparison-overlap]  # mypy keeps the narrowing above
        assert screen.query_one("#history-recent", DataTable).row_count == 6

        await pilot.press("d", "y")
        await app.workers.wait_for_complete()
        for _ in range(20):
            await pilot.pause()
            if len(app.shown) == 2:
                break
        assert screen.query_one("#history-recent", DataTable).row_count == 5
        legs = next(p for p in screen.query(TrendPanel) if p.trend.exercise.name == "Leg press")
        assert list(legs.query_one(".trend-reps", Sparkline).data or []) == [16, 18, 20, 22]  # the newest is gone
    with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
        assert [w.preset for w in store.workouts()] == ["push-up"] + ["leg-press"] * 4


async def test_a_delete_that_cannot_be_written_says_so_and_keeps_the_workout(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "history.sqlite3"
    fill(path)

    def locked(*args: object, **kwargs: object) -> HistoryStore:
        raise HistoryError("the history is locked by another program")

    monkeypatch.setattr(HistoryStore, "open", locked)
    app = HistoryApp(path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await shown(app, pilot)
        await pilot.press("d", "y")
        await app.workers.wait_for_complete()
        for _ in range(20):
            await pilot.pause()
            if len(app.shown) == 2:
                break
        assert [n.message for n in app._notifications] == ["Not deleted: the history is locked by another program"]
        assert screen.query_one("#history-recent", DataTable).row_count == 6
