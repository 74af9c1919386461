"""What the coach and rest screens share: the lifter's keys, all routed to the app's actions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center
from textual.screen import Screen
from textual.widgets import Footer

from tempo_coach.core.events import View
from tempo_coach.core.model import Preset
from tempo_coach.tui.widgets.countdown import Countdown
from tempo_coach.tui.widgets.display import preset_title
from tempo_coach.tui.widgets.line import Line
from tempo_coach.tui.widgets.phase_banner import PhaseBanner
from tempo_coach.tui.widgets.phase_bar import PhaseBar

WORKOUT_BINDINGS: list[BindingType] = [
    Binding("space,p", "app.pause", "Pause", key_display="space"),  # the footer shows whichever applies
    Binding("space,p", "app.resume", "Resume", key_display="space"),
    Binding("f", "app.toggle_fallback", "Fallback"),
    Binding("enter,e", "app.end_set", "End set", key_display="enter"),
    Binding("s", "app.skip", "Skip"),
    Binding("m", "app.mute", "Mute"),
    Binding("plus,equals_sign", "app.volume(1)", "Volume", key_display="+/-"),
    Binding("minus,underscore", "app.volume(-1)", "Volume down", key_display="-", show=False),
    Binding("question_mark,h,f1", "app.help", "Help", key_display="?"),
    Binding("q", "app.quit_workout", "Quit"),
]


class WorkoutScreen(Screen[None]):
    """A screen that shows a running workout; the app calls `show(view)` with each new snapshot."""

    BINDINGS = WORKOUT_BINDINGS
    sound = ""
    """The sound line's text, kept here so it is right whenever the screen is composed."""

    def __init__(self, preset: Preset, sound: str) -> None:
        super().__init__()
        self.preset = preset
        self.sound = sound

    def compose(self) -> ComposeResult:
        """What every workout screen shows on top: the preset, the phase, its countdown and bar."""
        yield Line(preset_title(self.preset), id="title")
        yield PhaseBanner(id="banner")
        with Center(id="count-row"):
            yield Countdown("", id="countdown")
        yield PhaseBar(id="bar")
        yield from self.compose_details()
        yield Footer(show_command_palette=False)

    def compose_details(self) -> ComposeResult:
        """The screen's own lines under the bar."""
        raise NotImplementedError

    def show(self, view: View) -> None:
        raise NotImplementedError

    def show_sound(self, text: str) -> None:
        """The sound line: backend, why, and mute or volume after `m`, `+`, `-`."""
        self.query_one("#sound", Line).show(text)

    def on_mount(self) -> None:
        """Draw the current state at once rather than at the next tick. The sound line too: the
        sound may have been opened (on a worker) while this screen was being composed."""
        self.show_sound(self.sound)
        refresh = getattr(self.app, "refresh_view", None)
        if refresh is not None:
            self.call_after_refresh(refresh)
