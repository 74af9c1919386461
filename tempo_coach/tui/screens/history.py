"""The history screen: per exercise (not per preset file), trends of load, volume and estimated 1RM
beside reps and time under tension; below, the recent workouts, any of which can be deleted.

The database is read on a thread worker so even a long history never stalls the event loop; the
worker hands a `HistoryData` back in a message and the screen shows it in one go. Trends and their
"best" count only the working sets that count (no warm-up, no set cut short, no set of 0 reps).
Deleting opens the history for writing on a thread worker too, then reads it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Label, Sparkline, Static

from tempo_coach import paths
from tempo_coach.core.load import Unit
from tempo_coach.core.progress import CUT_SHORT
from tempo_coach.core.text import plural, printable
from tempo_coach.history import HistoryError, HistoryStore, WorkoutRecord
from tempo_coach.history.progress import ExerciseTrend, SessionProgress, trends
from tempo_coach.tui.screens.confirm import ConfirmScreen
from tempo_coach.tui.widgets.display import long_clock
from tempo_coach.tui.widgets.plain import plain

RECENT_WORKOUTS = 200


@dataclass(frozen=True)
class HistoryData:
    """Everything the screen shows, read in one go off the event loop."""

    path: Path
    trends: tuple[ExerciseTrend, ...] = ()
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
                trends=tuple(trends(store)),
                recent=tuple(store.workouts(limit=recent)),
                workouts=workouts,
                sets=sets,
                notice=store.notice,
            )
    except HistoryError as error:
        return HistoryData(path, error=str(error))


class TrendPanel(Grid):
    """One exercise: its name, presets and session count; sparklines of load, volume and estimated
    1RM beside reps and TUT per session (a flat grid of labels and sparklines, so a screenful of
    exercises mounts quickly). Load, volume and 1RM are drawn in the latest session's unit."""

    def __init__(self, trend: ExerciseTrend) -> None:
        super().__init__(classes="trend")
        self.trend = trend

    def compose(self) -> ComposeResult:
        trend, sessions = self.trend, self.trend.sessions
        total = trend.total_sessions
        shown = f"last {len(sessions)} of {total}" if total > len(sessions) else f"{total}"
        presets = ", ".join(trend.exercise.presets)
        yield Label(plain(trend.exercise.name, "bold") + plain(f" · {presets} · {shown} session{'s' * (total != 1)}"), classes="trend-title")
        unit = _latest_unit(sessions)
        loads = [s.top_load.amount for s in sessions if s.top_load and s.top_load.on_bar is not None and s.top_load.unit is unit]
        done = [s for s in sessions if s.working]
        reps = [float(sum(s.reps)) for s in done]
        yield from self._row("load", loads, "trend-load", _figure, _no_load(sessions), f" {unit.value}" if unit else "")
        yield from self._row("reps", reps, "trend-reps", lambda x: f"{x:.0f}")
        volumes = [s.volume for s in sessions if s.volume is not None and s.top_load and s.top_load.unit is unit]
        yield from self._row("volume", volumes, "trend-volume", lambda x: f"{x:.0f}", _no_load(sessions))
        yield from self._row("TUT", [s.tut_s for s in done], "trend-tut", long_clock)
        estimates = [s.estimated_1rm for s in sessions if s.estimated_1rm is not None and s.top_load and s.top_load.unit is unit]
        yield from self._row("est. 1RM", estimates, "trend-1rm", lambda x: f"{x:.0f}", _no_load(sessions))

    def _row(
        self, name: str, values: list[float], classes: str, shown: Callable[[float], str], missing: str = "", unit: str = ""
    ) -> Iterator[Widget]:
        """A label with the latest value (and its unit) and the best, and the sparkline (or why
        there is none). Short enough for 80 columns: '1RM est. 158 (best 160)'."""
        if not values:
            yield Label(f"{name}: {missing or 'none'}", classes="trend-label")
            yield Label("", classes=classes)
            return
        yield Label(f"{name} {shown(values[-1])}{unit} (best {shown(max(values))})", classes="trend-label")
        yield self._trend(values, classes)

    @staticmethod
    def _trend(values: list[float], classes: str) -> Sparkline | Label:
        """A sparkline once there is a trend to draw: one session would fill it with one full bar."""
        if len(values) < 2:
            return Label("trend after the next session", classes=f"{classes} trend-label")
        return Sparkline(values, classes=classes)


def _latest_unit(sessions: tuple[SessionProgress, ...]) -> Unit | None:
    return next((s.top_load.unit for s in reversed(sessions) if s.top_load and s.top_load.on_bar is not None), None)


def _no_load(sessions: tuple[SessionProgress, ...]) -> str:
    """Why an exercise has no load trend."""
    return "bodyweight" if any(s.top_load and s.top_load.bodyweight for s in sessions) else "none recorded"


def _figure(value: float) -> str:
    """'102.5', '100': no '.0'."""
    return f"{value:.1f}".removesuffix(".0")


class HistoryScreen(Screen[None]):
    """Past workouts, newest first, and per-exercise trends. Escape or q goes back."""

    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the start screen"),
        Binding("q", "back", "Back", show=False),
        Binding("r", "reload", "Reload", tooltip="Read the history again"),
        Binding("d", "delete", "Delete workout", tooltip="Delete the selected workout and its sets (asks first)"),
    ]

    data: var[HistoryData | None] = var(None)

    class Loaded(Message):
        """The worker read the history."""

        def __init__(self, data: HistoryData) -> None:
            super().__init__()
            self.data = data

    class Deleted(Message):
        """The worker deleted a workout, or could not (`error`)."""

        def __init__(self, workout: WorkoutRecord, error: str | None) -> None:
            super().__init__()
            self.workout = workout
            self.error = error

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

    def _show_trends(self, found: tuple[ExerciseTrend, ...]) -> None:
        box = self.query_one("#history-trends", VerticalScroll)
        box.remove_children()
        box.mount_all(TrendPanel(trend) for trend in found)

    def _show_recent(self, recent: tuple[WorkoutRecord, ...]) -> None:
        table = self.query_one("#history-recent", DataTable)
        row = table.cursor_row
        table.clear()
        for workout in recent:
            table.add_row(*_recent_row(workout), key=str(workout.id))
        if recent:
            table.move_cursor(row=min(row, len(recent) - 1))
            table.focus()

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.load()

    def action_delete(self) -> None:
        """Ask, then delete the workout under the table's cursor."""
        table = self.query_one("#history-recent", DataTable)
        if self.data is None or not self.data.recent or table.row_count == 0:
            self.notify("No workout to delete.", severity="warning")
            return
        workout = self.data.recent[table.cursor_row]
        question = plain(f"Delete the workout of {_started(workout)}, {workout.preset}, {plural(len(workout.sets), 'set')}?")
        self.app.push_screen(ConfirmScreen(question, "y: yes, delete it     n / esc: no, keep it"), lambda yes: self._confirmed(workout, yes))

    def _confirmed(self, workout: WorkoutRecord, yes: bool | None) -> None:
        if yes:
            self.delete(workout)

    @work(thread=True, exclusive=True, group="history-load", exit_on_error=False)
    def delete(self, workout: WorkoutRecord) -> None:
        """Delete off the event loop (a write can wait on a lock), then read the history again."""
        try:
            with HistoryStore.open(self.path) as store:
                store.delete_workout(workout.id)
            self.post_message(self.Deleted(workout, None))
        except HistoryError as error:
            self.post_message(self.Deleted(workout, str(error)))
        self.post_message(self.Loaded(load_history(self.path)))

    @on(Deleted)
    def _deleted(self, message: Deleted) -> None:
        if message.error:
            self.notify(printable(f"Not deleted: {message.error}"), severity="error", timeout=10, markup=False)
        else:
            self.notify(printable(f"Deleted the workout of {_started(message.workout)}."), markup=False)


def _started(workout: WorkoutRecord) -> str:
    return f"{workout.started_at.astimezone():%Y-%m-%d %H:%M}"


def _recent_row(workout: WorkoutRecord) -> tuple[Text, ...]:
    """One workout's cells, plain: a `str` cell would be read as markup (the preset is a file name)."""
    reps = " ".join(f"{s.reps_done}{'*' if s.ended == CUT_SHORT else ''}" for s in workout.sets)
    target = "" if workout.reps_target is None else f" /{workout.reps_target}"
    fallback = ",".join(str(s.fallback_rep) if s.fallback_rep is not None else "-" for s in workout.sets)
    cells = (
        _started(workout),
        workout.preset,
        workout.tempo,
        reps + target,
        long_clock(workout.tut_s),
        fallback,
    )
    return tuple(plain(cell) for cell in cells)
