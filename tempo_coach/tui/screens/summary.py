"""The summary after the workout: each set's reps, target, time under tension and fallback rep."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from tempo_coach.core.events import SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.core.text import plural
from tempo_coach.tui.widgets.big_text import BigText
from tempo_coach.tui.widgets.display import long_clock, preset_title, summary_line
from tempo_coach.tui.widgets.plain import plain


def totals_text(results: tuple[SetCompleted, ...]) -> str:
    reps = sum(r.reps_done for r in results)
    tut = sum(r.tut for r in results)
    return f"{plural(len(results), 'set')} · {plural(reps, 'rep')} · time under tension {long_clock(tut)}"


def totals_big(results: tuple[SetCompleted, ...]) -> str:
    """'2 SETS 24 REPS': the totals again, big, for the lifter still on the machine."""
    return f"{plural(len(results), 'set')} {plural(sum(r.reps_done for r in results), 'rep')}".upper()


class SummaryScreen(Screen[None]):
    """The workout's results, one row a set. Saving to history is the app's job, not this screen's."""

    BINDINGS = [
        Binding("q,escape", "app.quit", "Quit", key_display="q"),  # not enter: it just ended the set
        Binding("question_mark,f1", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, preset: Preset, results: tuple[SetCompleted, ...], note: str = "") -> None:
        super().__init__()
        self.preset = preset
        self.results = results
        self.note = note

    def compose(self) -> ComposeResult:
        yield Label(plain(f"Workout done · {preset_title(self.preset)}"), id="summary-title")
        yield Label(summary_line(self.preset), id="summary-preset")
        yield DataTable(id="sets", cursor_type="none", zebra_stripes=True)
        yield Label(totals_text(self.results), id="totals")
        yield Label(plain(self.note), id="saved")
        big = BigText(id="summary-big")
        big.show(totals_big(self.results), plain="")  # nothing more where big letters do not fit
        yield big
        yield Footer(show_command_palette=False)

    def show_saved(self, note: str) -> None:
        """Where the results went (history), once saving is done; an error here may name a path."""
        self.query_one("#saved", Label).update(plain(note))

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Set", "Reps", "Target", "TUT", "Fallback from", "Ended")
        for r in self.results:
            table.add_row(
                str(r.set),
                Text(str(r.reps_done), style="bold"),
                "amrap" if r.reps_target is None else str(r.reps_target),
                long_clock(r.tut),
                "–" if r.fallback_rep is None else f"rep {r.fallback_rep}",
                r.ended,
            )
