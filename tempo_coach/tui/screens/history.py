"""The history screen: recent workouts and, per exercise, reps and time under tension per session.

The database is read on a thread worker so even a long history never stalls the event loop; the
worker hands a `HistoryData` back in a message and the screen shows it in one go.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Sparkline, Static

from tempo_coach import paths
from tempo_coach.core.text import plural, printable
from tempo_coach.history import HistoryError, HistoryStore, Trend, WorkoutRecord
from tempo_coach.tui.widgets.display import long_clock
from tempo_coach.tui.widgets.plain import plain

RECENT_WORKOUTS = 200


@dataclass(frozen=True)
class HistoryData:
    """Everything the screen shows, read in one go off the event loop."""

    path: Path
    trends: tuple[Trend, ...] = ()
    recent: tuple[WorkoutRecord, ...] = ()
    workouts: int = 0
    sets: int = 0
    notice: str | None = None
    error: str | None = None
    exists: bool = True


def load_history(path: Path, recent: int = RECENT_WORKOUTS) -> HistoryData:
    """Read the history at `path` read-only: a missing file is an empty history, and nothing is
    created, moved or changed (a damaged file is reported; the next workout moves it aside)."""
    try:
        store = HistoryStore.open_for_reading(path)
        if store is None:
            return HistoryData(path, exists=False)
        with store:
            workouts, sets = store.counts()
            return HistoryData(
                path,
                trends=tuple(store.trends()),
                recent=tuple(store.workouts(limit=recent)),
                workouts=workouts,
                sets=sets,
                notice=store.notice,
            )
    except HistoryError as error:
        return HistoryData(path, error=str(error))


class TrendPanel(Grid):
    """One exercise: its name and latest figures, and sparklines of reps and TUT per session
    (a flat grid: five widgets, so a screenful of exercises mounts quickly)."""

    def __init__(self, trend: Trend) -> None:
        super().__init__(classes="trend")
        self.trend = trend

    def compose(self) -> ComposeResult:
        trend, sessions = self.trend, self.trend.sessions
        last = sessions[-1]
        shown = f"last {len(sessions)} of {trend.total_sessions}" if trend.total_sessions > len(sessions) else f"{trend.total_sessions}"
        sessions_text = f" · {trend.preset} · {shown} session{'s' * (trend.total_sessions != 1)}"
        yield Label(plain(trend.exercise, "bold") + plain(sessions_text), classes="trend-title")
        reps = [float(s.reps_done) for s in sessions]
        tut = [s.tut_s for s in sessions]
        yield Label(f"reps {last.reps_done:>4} (best {int(max(reps))})", classes="trend-label")
        yield self._trend(reps, "trend-reps")
        yield Label(f"TUT {long_clock(last.tut_s):>5} (best {long_clock(max(tut))})", classes="trend-label")
        yield self._trend(tut, "trend-tut")

    @staticmethod
    def _trend(values: list[float], classes: str) -> Sparkline | Label:
        """A sparkline once there is a trend to draw: one session would fill it with one full bar."""
        if len(values) < 2:
            return Label("trend after the next session", classes=f"{classes} trend-label")
        return Sparkline(values, classes=classes)


class HistoryScreen(Screen[None]):
    """Past workouts, newest first, and per-exercise trends. Escape or q goes back."""

    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the start screen"),
        Binding("q", "back", "Back", show=False),
        Binding("r", "reload", "Reload", tooltip="Read the history again"),
    ]

    data: var[HistoryData | None] = var(None)

    class Loaded(Message):
        """The worker read the history."""

        def __init__(self, data: HistoryData) -> None:
            super().__init__()
            self.data = data

    class Shown(Message):
        """The history is on screen (benchmarks and tests wait for this)."""

        def __init__(self, data: HistoryData) -> None:
            super().__init__()
            self.data = data

    def __init__(self, path: Path | None = None, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.path = Path(path) if path is not None else paths.history_path()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the workout history…", id="history-status")
        with Vertical(id="history-body"):
            yield VerticalScroll(id="history-trends")
            yield DataTable(id="history-recent", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Workout history"
        table = self.query_one("#history-recent", DataTable)
        table.add_columns("Started", "Preset", "Tempo", "Reps per set (* cut short)", "TUT", "Fallback")
        self.load()

    @work(thread=True, exclusive=True, group="history-load", exit_on_error=False)
    def load(self) -> None:
        self.post_message(self.Loaded(load_history(self.path)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.data = message.data

    def watch_data(self, data: HistoryData | None) -> None:
        if data is None:
            return
        with self.app.batch_update():
            self.query_one("#history-status", Static).update(self._status(data))
            self._show_trends(data.trends)
            self._show_recent(data.recent)
            self.add_class("loaded")
        if data.notice:
            self.notify(printable(data.notice), severity="warning", timeout=10, markup=False)
        self.post_message(self.Shown(data))

    def _status(self, data: HistoryData) -> Text:
        """What was read, and from where; the path and an error (which may name it) as plain text."""
        if data.error:
            return plain("The workout history cannot be read:", "bold") + plain(f" {data.error}")
        if not data.exists or data.workouts == 0:
            return plain(f"No workouts recorded yet. Finished sets are saved to {data.path}.")
        shown = f"the latest {len(data.recent)} below" if data.workouts > len(data.recent) else "all below"
        return plain(f"{plural(data.workouts, 'workout')}, {plural(data.sets, 'set')} ({shown}) · {data.path}")

    def _show_trends(self, trends: tuple[Trend, ...]) -> None:
        box = self.query_one("#history-trends", VerticalScroll)
        box.remove_children()
        box.mount_all(TrendPanel(trend) for trend in trends)

    def _show_recent(self, recent: tuple[WorkoutRecord, ...]) -> None:
        table = self.query_one("#history-recent", DataTable)
        table.clear()
        table.add_rows(_recent_row(w) for w in recent)

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.load()


def _recent_row(workout: WorkoutRecord) -> tuple[Text, ...]:
    """One workout's cells, plain: a `str` cell would be read as markup (the preset is a file name)."""
    reps = " ".join(f"{s.reps_done}{'' if s.completed else '*'}" for s in workout.sets)
    target = "" if workout.reps_target is None else f" /{workout.reps_target}"
    fallback = ",".join(str(s.fallback_rep) if s.fallback_rep is not None else "-" for s in workout.sets)
    cells = (
        f"{workout.started_at.astimezone():%Y-%m-%d %H:%M}",
        workout.preset,
        workout.tempo,
        reps + target,
        long_clock(workout.tut_s),
        fallback,
    )
    return tuple(plain(cell) for cell in cells)
