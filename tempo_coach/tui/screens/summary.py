"""The summary after a block: each set's load, reps, target, time under tension, fallback rep and
how it ended; then what comes next (the routine's next exercise after its rest, or the start screen)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from tempo_coach.core.events import SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.core.text import plural
from tempo_coach.tui.tag_keys import tag_bindings
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


@dataclass(frozen=True)
class NextUp:
    """Where the summary leads: the routine's next exercise after `in_s` seconds of rest (None:
    only when the lifter says, as for the start screen after the last)."""

    name: str
    in_s: float | None


class SummaryScreen(Screen[None]):
    """The block's results, one row a set, and what comes next. Saving to history is the app's job."""

    BINDINGS = [
        Binding("n", "next", "Next", tooltip="On to what comes next now"),  # not enter: it just ended the set
        *tag_bindings(),
        Binding("q,escape", "app.quit", "Quit", key_display="q"),
        Binding("question_mark,f1", "app.help", "Help", key_display="?"),
    ]

    class NextRequested(Message):
        """The lifter (or the rest's end) moves on from the summary."""

    def __init__(
        self,
        preset: Preset,
        results: tuple[SetCompleted, ...],
        note: str = "",
        next_up: NextUp | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.clock = clock
        self.preset = preset
        self.results = results
        self.note = note
        self.next_up = next_up or NextUp("the start screen", None)
        self._next_at: float | None = None

    def compose(self) -> ComposeResult:
        yield Label(plain(f"Done · {block_title(self.preset, self.results)}"), id="summary-title")
        yield Label(summary_line(self.preset), id="summary-preset")
        yield DataTable(id="sets", cursor_type="none", zebra_stripes=True)
        yield Label(totals_text(self.results), id="totals")
        yield Label(plain(self.note), id="saved")
        yield Label(plain(self._next_text()), id="summary-next")
        yield Label("0-4: reps in reserve on the last set · t: a note on it", id="summary-tag")
        big = BigText(id="summary-big")
        big.show(totals_big(self.results), plain="")  # nothing more where big letters do not fit
        yield big
        yield Footer(show_command_palette=False)

    def show_saved(self, note: str) -> None:
        """Where the results went (history), once saving is done; an error here may name a path."""
        self.query_one("#saved", Label).update(plain(note))

    def _next_text(self, left_s: float | None = None) -> str:
        up = self.next_up
        if up.in_s is None:
            return f"n: back to {up.name}"
        return f"Next: {up.name} in {long_clock(up.in_s if left_s is None else left_s)} · n: start it now"

    def show_tag(self, tag: str) -> None:
        """What the lifter said of the last set."""
        self.query_one("#summary-tag", Label).update(plain(f"Last set: {tag}"))

    def action_next(self) -> None:
        self.post_message(self.NextRequested())

    def _tick(self) -> None:
        """The rest before the next exercise, counted down from one absolute deadline."""
        assert self._next_at is not None
        left = self._next_at - self.clock()
        if left <= 0:
            self.action_next()
            return
        self.query_one("#summary-next", Label).update(plain(self._next_text(left)))
        self.set_timer(left - math.floor(left) + 0.01 if left >= 1 else left, self._tick)

    def on_mount(self) -> None:
        if self.next_up.in_s is not None:
            self._next_at = self.clock() + self.next_up.in_s
            self.set_timer(0.01, self._tick)
        table = self.query_one(DataTable)
        several = len({r.plan.exercise for r in self.results if r.plan}) > 1
        table.add_columns("Set", *(["Exercise"] if several else []), "Load", "Reps", "Target", "TUT", "Fallback from", "Ended")
        for r in self.results:
            plan = r.plan
            table.add_row(
                _set_label(r),
                *([plain(plan.exercise if plan else "")] if several else []),
                str(plan.load) if plan and plan.load else "–",
                Text(str(r.reps_done), style="bold"),
                "amrap" if r.reps_target is None else str(r.reps_target),
                long_clock(r.tut),
                "–" if r.fallback_rep is None else f"rep {r.fallback_rep}",
                r.ended,
            )


def _set_label(result: SetCompleted) -> str:
    """'2', or 'W1' for a warm-up."""
    plan = result.plan
    if plan is None:
        return str(result.set)
    return f"W{plan.number}" if plan.warmup else str(plan.number)


def block_title(preset: Preset, results: tuple[SetCompleted, ...]) -> str:
    """The exercises the results are of ('Goblet squat + Push-up'), else the preset's title."""
    names = list(dict.fromkeys(r.plan.exercise for r in results if r.plan))
    return " + ".join(names) if len(names) > 1 else preset_title(preset)
