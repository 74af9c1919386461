"""The coach screen: get-ready countdown and the set itself, readable from the machine."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import var

from tempo_coach.core.events import View
from tempo_coach.core.tempo import REP_PHASES, Phase
from tempo_coach.tui.screens.workout import WorkoutScreen
from tempo_coach.tui.widgets.countdown import Countdown
from tempo_coach.tui.widgets.display import (
    cue_text,
    fallback_text,
    long_clock,
    phase_title,
    rep_text,
    reps_goal,
    set_text,
)
from tempo_coach.tui.widgets.line import Line
from tempo_coach.tui.widgets.phase_banner import PhaseBanner
from tempo_coach.tui.widgets.phase_bar import PhaseBar
from tempo_coach.tui.widgets.tempo_strip import TempoStrip


class CoachScreen(WorkoutScreen):
    """Phase banner, big countdown, phase bar, tempo, rep/set, fallback, cue, time under tension."""

    phase: var[Phase | None] = var(None, init=False)
    in_set = var(False, init=False)

    def compose_details(self) -> ComposeResult:
        with Horizontal(id="counts"):
            yield Line("", id="rep", classes="count")
            yield Line("", id="set", classes="count")
            yield Line("", id="tut", classes="count")
        with Vertical(id="details"):
            yield TempoStrip(id="tempo")
            yield Line("", id="fallback")
            yield Line("", id="cue")
            yield Line(self.sound, id="sound")

    def show(self, view: View) -> None:
        """Hand each widget its value; each repaints only if its value changed."""
        self.phase = view.phase
        self.in_set = view.phase in REP_PHASES
        self.set_class(view.fallback_on, "fallback-on")
        self.query_one(PhaseBanner).show(view.phase, phase_title(view.phase, view.paused, view.explosive), view.paused)
        self.query_one(Countdown).show(view.remaining)
        self.query_one(PhaseBar).show(view.progress)
        self.query_one(TempoStrip).show(view.tempo, view.phase)
        self.query_one("#set", Line).show(set_text(view))
        if self.in_set:
            self.query_one("#rep", Line).show(rep_text(view))
            self.query_one("#tut", Line).show(f"TUT {long_clock(view.set_elapsed)}")
        else:
            self.query_one("#rep", Line).show(f"{reps_goal(self.preset)}".capitalize())
            self.query_one("#tut", Line).show("starts in…")
        self.query_one("#fallback", Line).show(fallback_text(self.preset, view))

    def watch_phase(self, phase: Phase | None) -> None:
        self.query_one("#cue", Line).show(cue_text(self.preset, phase))

    def watch_in_set(self, in_set: bool) -> None:
        """The footer offers `End set` in a set and `Skip` while getting ready."""
        self.refresh_bindings()
