"""The coach screen: get-ready countdown and the set itself, readable from the machine."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var

from tempo_coach.core.events import View
from tempo_coach.core.tempo import REP_PHASES, Phase
from tempo_coach.tui.screens.workout import WorkoutScreen
from tempo_coach.tui.widgets.big_text import BigText
from tempo_coach.tui.widgets.display import (
    cue_text,
    fallback_text,
    long_clock,
    rep_count,
    rep_text,
    reps_goal,
    set_text,
)
from tempo_coach.tui.widgets.line import Line
from tempo_coach.tui.widgets.tempo_strip import TempoStrip


class CoachScreen(WorkoutScreen):
    """The phase band, the countdown beside the rep count ('7/12'), the bar, then the tempo,
    fallback, cue and sound lines."""

    phase: var[Phase | None] = var(None, init=False)
    in_set = var(False, init=False)

    def compose_side(self) -> ComposeResult:
        with Vertical(id="side"):
            yield BigText(id="rep")
            yield Line("", id="set", classes="count")
            yield Line("", id="tut", classes="count")

    def compose_details(self) -> ComposeResult:
        with Vertical(id="details"):
            yield TempoStrip(id="tempo")
            yield Line("", id="fallback")
            yield Line("", id="cue")
            yield Line(self.sound, id="sound")

    def show_details(self, view: View) -> None:
        self.preset = view.plan.preset  # a superset's sets change preset: its cues and fallback
        self.phase = view.phase
        self.in_set = view.phase in REP_PHASES
        if self.has_class("fallback-on") != view.fallback_on:
            self.set_class(view.fallback_on, "fallback-on")
        self.query_one(TempoStrip).show(view.tempo, view.phase)
        self.query_one("#set", Line).show(set_text(view))
        plain = rep_text(view) if self.in_set else reps_goal(view.reps_target).capitalize()
        self.query_one("#rep", BigText).show(rep_count(view), plain)
        self.query_one("#tut", Line).show(f"TUT {long_clock(view.set_elapsed)}" if self.in_set else "")
        self.query_one("#fallback", Line).show(fallback_text(self.preset, view))

    def watch_phase(self, phase: Phase | None) -> None:
        self.query_one("#cue", Line).show(cue_text(self.preset, phase))

    def watch_in_set(self, in_set: bool) -> None:
        """The footer offers `End set` in a set and `Skip` while getting ready."""
        self.refresh_bindings()
