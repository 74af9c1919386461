"""The rest screen: a big countdown, how the last set went, and what comes next.

While resting the lifter can, and never has to: make the rest 15 s longer or shorter, change the
next set's load (by the exercise's increment, or typed), tag the set just done with reps in reserve
and type a note. Nothing waits for an answer: the rest runs on behind every question.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import var

from tempo_coach.core.events import SetCompleted, View
from tempo_coach.core.tempo import Phase
from tempo_coach.tui.screens.workout import WORKOUT_BINDINGS, WorkoutScreen
from tempo_coach.tui.tag_keys import tag_bindings
from tempo_coach.tui.widgets.display import cue_text, long_clock, next_up
from tempo_coach.tui.widgets.line import Line

REST_BINDINGS: list[BindingType] = [
    # Listed on the screen itself (KEYS_HINT), as the footer has no room at 80 columns.
    Binding("right", "app.rest(1)", "Rest +15 s", show=False, tooltip="Rest 15 s longer"),
    Binding("left", "app.rest(-1)", "Rest -15 s", show=False, tooltip="Rest 15 s shorter"),
    Binding("right_square_bracket", "app.load(1)", "Load heavier", show=False, tooltip="The next set one increment heavier"),
    Binding("left_square_bracket", "app.load(-1)", "Load lighter", show=False, tooltip="The next set one increment lighter"),
    Binding("w", "app.type_load", "Type the load", show=False, tooltip="Type the next set's load: 100, 225 lb, bw+10"),
    *tag_bindings(),
]
KEYS_HINT = "← → rest ±15 s · [ ] load · w type load · 0-4 reps in reserve · t note"


def last_set_text(result: SetCompleted | None, tag: str = "", named: bool = False) -> str:
    """'Set 1: 12/12 reps · 100 kg · TUT 1:12 · fallback from rep 9 · RIR 2'; `named` puts the
    exercise first ('Push-up, set 1: ...'), where the next set is of another one (a superset)."""
    if result is None:
        return ""
    target = f"/{result.reps_target}" if result.reps_target else ""
    plan = result.plan
    label = plan.label.split("/")[0] if plan else f"Set {result.set}"
    if named and plan is not None:
        label = f"{plan.exercise}, {label[0].lower()}{label[1:]}"
    load = f" · {plan.load}" if plan and plan.load else ""
    text = f"{label}: {result.reps_done}{target} reps{load} · TUT {long_clock(result.tut)}"
    if result.fallback_rep:
        text += f" · fallback from rep {result.fallback_rep}"
    return f"{text} · {tag}" if tag else text


class RestScreen(WorkoutScreen):
    """Rest between sets; `s` ends it early."""

    BINDINGS = [*WORKOUT_BINDINGS, *REST_BINDINGS]
    last_result: var[SetCompleted | None] = var(None, init=False)
    named = False
    """The last set's line names its exercise: the next set is another's (a superset round's end)."""
    tag = var("", init=False)
    """What the lifter said of the last set: 'RIR 2 · note: left knee'."""

    def compose_details(self) -> ComposeResult:
        with Vertical(id="details"):
            yield Line("", id="next")
            yield Line("", id="last")
            yield Line(cue_text(self.preset, Phase.REST), id="cue")
            yield Line(KEYS_HINT, id="rest-keys")
            yield Line(self.sound, id="sound")

    def show_details(self, view: View) -> None:
        self.query_one("#next", Line).show(next_up(view))
        result = view.results[-1] if view.results else None
        following = view.next_plan
        self.named = bool(result and result.plan and following and following.exercise != result.plan.exercise)
        if result is not self.last_result:
            self.tag = ""  # a new set: nothing said of it yet
        self.last_result = result

    def watch_last_result(self, result: SetCompleted | None) -> None:
        self.query_one("#last", Line).show(last_set_text(result, self.tag, self.named))

    def watch_tag(self, tag: str) -> None:
        self.query_one("#last", Line).show(last_set_text(self.last_result, tag, self.named))
