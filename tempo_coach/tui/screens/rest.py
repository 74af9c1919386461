"""The rest screen: a big countdown, how the last set went, and what comes next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var

from tempo_coach.core.events import SetCompleted, View
from tempo_coach.core.tempo import Phase
from tempo_coach.tui.screens.workout import WorkoutScreen
from tempo_coach.tui.widgets.display import cue_text, long_clock, next_up
from tempo_coach.tui.widgets.line import Line


def last_set_text(result: SetCompleted | None) -> str:
    """'Set 1: 12/12 reps · TUT 1:12 · fallback from rep 9'."""
    if result is None:
        return ""
    target = f"/{result.reps_target}" if result.reps_target else ""
    text = f"Set {result.set}: {result.reps_done}{target} reps · TUT {long_clock(result.tut)}"
    if result.fallback_rep:
        text += f" · fallback from rep {result.fallback_rep}"
    return text


class RestScreen(WorkoutScreen):
    """Rest between sets; `s` ends it early."""

    last_result: var[SetCompleted | None] = var(None, init=False)

    def compose_details(self) -> ComposeResult:
        with Vertical(id="details"):
            yield Line("", id="next")
            yield Line("", id="last")
            yield Line(cue_text(self.preset, Phase.REST), id="cue")
            yield Line(self.sound, id="sound")

    def show_details(self, view: View) -> None:
        self.query_one("#next", Line).show(next_up(self.preset, view))
        self.last_result = view.results[-1] if view.results else None

    def watch_last_result(self, result: SetCompleted | None) -> None:
        self.query_one("#last", Line).show(last_set_text(result))
