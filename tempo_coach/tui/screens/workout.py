"""What the coach and rest screens share: the band, the big countdown, the moving bar, the lifter's
keys (all routed to the app's actions) and the optional flash on each phase change."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.color import Color
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

from tempo_coach.core.engine import RUNNING_PHASES
from tempo_coach.core.events import View
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import Phase
from tempo_coach.runtime.scheduler import Clock
from tempo_coach.tui.widgets.countdown import Countdown
from tempo_coach.tui.widgets.display import banner_word, phase_title, plan_title, preset_title
from tempo_coach.tui.widgets.line import Line
from tempo_coach.tui.widgets.phase_banner import PhaseBanner
from tempo_coach.tui.widgets.phase_bar import PhaseBar

FLASH_S = 0.3
"""How long the whole screen shows the new phase's colour."""

WORKOUT_BINDINGS: list[BindingType] = [
    # The footer shows whichever of a pair applies (the app's check_action); the command palette
    # lists the same actions by name, with the tooltip as their help.
    Binding("space,p", "app.pause", "Pause", key_display="space", tooltip="Pause the workout"),
    Binding("space,p", "app.resume", "Resume", key_display="space", tooltip="Carry on from where it was paused"),
    Binding("f", "app.toggle_fallback", "Fallback", tooltip="The fallback tempo on or off, from the next phase it changes"),
    Binding("enter,e", "app.end_set", "End set", key_display="enter", tooltip="End this set now"),
    Binding("s", "app.skip", "Skip", tooltip="End the rest or the get-ready countdown now"),
    Binding("m", "app.mute", "Mute", tooltip="Sound off; the screen goes on"),
    Binding("m", "app.unmute", "Unmute", tooltip="Sound on again"),
    Binding("plus,equals_sign", "app.volume(1)", "Volume", key_display="+/-", tooltip="Louder (- is quieter)"),
    Binding("minus,underscore", "app.volume(-1)", "Volume down", key_display="-", show=False, tooltip="Quieter"),
    Binding("l", "app.toggle_flash", "Flash", show=False, tooltip="Flash the whole screen in the new phase's colour on each phase change, or stop"),
    Binding("question_mark,h,f1", "app.help", "Help", key_display="?", tooltip="Keys, tempo and leg-press technique"),
    Binding("q", "app.quit_workout", "Quit", tooltip="End the workout; asks first and saves the sets so far"),
]


class WorkoutScreen(Screen[None]):
    """A screen that shows a running workout; the app calls `show(view)` with each new snapshot."""

    BINDINGS = WORKOUT_BINDINGS
    sound = ""
    """The sound line's text, kept here so it is right whenever the screen is composed."""
    flash_phases = False
    """Flash the whole screen in the new phase's colour on each phase change (noisy gyms)."""

    def __init__(self, preset: Preset, sound: str, clock: Clock = time.monotonic) -> None:
        super().__init__()
        self.preset = preset
        self.sound = sound
        self.clock = clock
        self._phase: Phase | None = None
        self._flash_end: Timer | None = None

    def compose(self) -> ComposeResult:
        """What every workout screen shows on top: the phase in a band, its countdown and bar."""
        with Vertical(id="upper"):
            with Horizontal(id="top"):
                yield Line(preset_title(self.preset), id="title")
                yield Line("", id="phase")
            yield PhaseBanner(id="banner")
            with Horizontal(id="middle"):
                yield Countdown(id="countdown")
                yield from self.compose_side()
        yield PhaseBar(self.clock, id="bar")
        yield from self.compose_details()
        yield Footer(show_command_palette=False)

    def compose_side(self) -> ComposeResult:
        """What stands beside the countdown (nothing: the countdown takes the width)."""
        yield from ()

    def compose_details(self) -> ComposeResult:
        """The screen's own lines under the bar."""
        raise NotImplementedError

    def show(self, view: View) -> None:
        """Hand each widget its value; each repaints only if its value changed. The bar moves on
        its own while the phase runs and this screen is the one on top."""
        title = phase_title(view.phase, view.paused, view.explosive)
        self.query_one("#phase", Line).show(title)
        self.query_one(PhaseBanner).show_phase(view.phase, banner_word(view.phase, view.paused, view.explosive), title, view.paused)
        self.query_one(Countdown).show_remaining(view.remaining)
        on_top = self.app.screen is self
        running = on_top and not view.paused and view.phase in RUNNING_PHASES
        self.query_one(PhaseBar).show(view.phase, view.remaining, view.duration, running)
        if view.phase is not self._phase:
            if self._phase is not None and self.flash_phases and on_top:
                self.flash(view.phase)
            self._phase = view.phase
        self.query_one("#title", Line).show(plan_title(view.plan))
        self.show_details(view)

    def show_details(self, view: View) -> None:
        raise NotImplementedError

    def flash(self, phase: Phase) -> None:
        """The whole screen in `phase`'s colour (its band's) for a moment. An inline background, not
        a class: a class on the screen would restyle every widget on it (2.5 times the CPU)."""
        if self._flash_end is not None:
            self._flash_end.stop()
        colour = self.query_one(PhaseBanner).colours.get(phase).bgcolor
        if colour is not None:
            self.styles.background = Color.from_rich_color(colour)
            self._flash_end = self.set_timer(FLASH_S, self._end_flash, name="flash")

    def _end_flash(self) -> None:
        self.styles.clear_rule("background")
        self._flash_end = None

    def show_sound(self, text: str) -> None:
        """The sound line: what the lifter hears, and mute or volume after `m`, `+`, `-`."""
        self.query_one("#sound", Line).show(text)

    def on_mount(self) -> None:
        """Draw the current state at once rather than at the next tick. The sound line too: the
        sound may have been opened (on a worker) while this screen was being composed."""
        self.show_sound(self.sound)
        self._redraw_soon()

    def on_screen_suspend(self) -> None:
        """Covered (help, the quit question, the rest screen): the bar stops moving."""
        self.query_one(PhaseBar).stop()

    def on_screen_resume(self) -> None:
        """On top again: the current state, and the bar moving again if the phase runs."""
        self._redraw_soon()

    def _redraw_soon(self) -> None:
        refresh = getattr(self.app, "refresh_view", None)
        if refresh is not None and self.is_mounted:
            self.call_after_refresh(refresh)
