"""The phase bar: how far through the phase, moving smoothly in eighths of a cell.

It has its own small timer, running only while a phase runs (not paused, not under another
screen), and on each tick it computes the progress from the clock, never from counted ticks:
`1 - (deadline - now) / duration`. A phase gets STEPS_PER_PHASE visible steps (12 in a 1 s phase,
12 a second at most), and only the bar's own row is painted: the rest of the screen keeps its one
redraw a second.

The CPU budget (bench/cpu.py: ≤ 1 % of a core mid-set) does not allow Textual's own repaint for
every step: its message round trip and compositor pass cost about 1 ms of CPU a frame even for one
row (measured: 1.2 ms, against 0.3 ms to write the row). So each step writes the bar's row straight
to the terminal when that is safe — a real terminal, this screen on top, no notification on screen
— and otherwise asks Textual to repaint it. Both paint the same `render_line`, so whatever Textual
paints later agrees with what was written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from rich.control import Control
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.css.query import NoMatches
from textual.widgets._toast import ToastRack

from tempo_coach.core.tempo import Phase
from tempo_coach.tui.widgets.phase_colours import PhaseStyles, component_classes

EIGHTHS = " ▏▎▍▌▋▊▉"
"""A cell filled 0/8 to 7/8 from the left; a full cell is █."""
STEPS_PER_PHASE = 12
"""How many times the bar moves in a phase: 12 in a 1 s phase, every 1/6 s in a 2 s phase."""
FASTEST_FRAME_S = 1 / 12
"""Never faster than 12 Hz (a half-second explosive phase gets 6 steps)."""
SLOWEST_FRAME_S = 1.0
"""A 90 s rest moves its bar once a second."""


def frame_s(duration: float) -> float:
    """The bar's tick for a phase of `duration` seconds."""
    return min(SLOWEST_FRAME_S, max(FASTEST_FRAME_S, duration / STEPS_PER_PHASE))


def bar_text(eighths: int, width: int) -> tuple[str, str]:
    """(done, to do) for a bar of `width` cells filled `eighths` eighths: ('███▌', '──────')."""
    eighths = min(max(eighths, 0), 8 * width)
    full, part = divmod(eighths, 8)
    done = "█" * full + (EIGHTHS[part] if part else "")
    return done, "─" * (width - len(done))


class PhaseBar(Widget):
    """A one-row bar; `show` hands it the phase's timing, its timer moves it in between. The done
    part has the phase's colour (`phase-bar--<phase>`), the rest `phase-bar--todo`."""

    DEFAULT_CSS = """
    PhaseBar { height: 1; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = component_classes("phase-bar") | {"phase-bar--todo"}

    def __init__(self, clock: Callable[[], float] = time.monotonic, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.deadline = 0.0
        self.duration = 0.0
        self.eighths = 0
        """What is drawn: filled eighths of a cell."""
        self.phase: Phase | None = None
        self._timer: Timer | None = None
        self._frame = 0.0
        self._colours = PhaseStyles(self, "phase-bar")
        self._todo: Style | None = None

    def show(self, phase: Phase, remaining: float, duration: float, running: bool) -> None:
        """The phase as of now: `remaining` of `duration` seconds; `running` moves it on its own."""
        if phase is not self.phase:
            self.phase = phase
            self.refresh()
        self.deadline = self.clock() + remaining
        self.duration = duration
        frame = frame_s(duration)
        if self._timer is not None and (not running or frame != self._frame):
            self.stop()
        if running and self._timer is None:
            self._frame = frame
            self._timer = self.set_interval(frame, self.tick, name="phase-bar")
        self.tick()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    @property
    def running(self) -> bool:
        return self._timer is not None

    def progress(self) -> float:
        """0 to 1, from the clock now."""
        if self.duration <= 0:
            return 1.0
        return min(1.0, max(0.0, 1 - (self.deadline - self.clock()) / self.duration))

    def tick(self) -> None:
        """Paint the bar (this row only) if the eighth it shows has changed."""
        eighths = int(self.progress() * 8 * self.content_size.width)
        if eighths != self.eighths:
            self.eighths = eighths
            if not self._paint_in_place():
                self.refresh()

    def _paint_in_place(self) -> bool:
        """Write this row to the terminal now if nothing else can be on it; False: not done."""
        app = self.app
        driver = app._driver  # no public way to write one row: see the module docstring
        if driver is None or app.is_headless or app.screen is not self.screen or self._under_a_notification():
            return False
        region = self.content_region
        strip = self.render_line(0).apply_style(self.visual_style.rich_style)
        for line_filter in app.get_line_filters():
            strip = strip.apply_filter(line_filter, self.background_colors[1])
        move = Control.move_to(region.x, region.y).segment.text
        back = Control.move_to(*app.cursor_position).segment.text
        driver.write(move + strip.render(app.console) + back)
        return True

    def _under_a_notification(self) -> bool:
        """A notification may cover the bar's row: let Textual paint, it knows the layers."""
        try:
            return bool(self.screen.get_child_by_type(ToastRack).children)
        except NoMatches:
            return False

    def on_resize(self) -> None:
        """A new width: Textual repaints (the row may have moved), at the eighth for the new width."""
        self.eighths = int(self.progress() * 8 * self.content_size.width)

    def notify_style_update(self) -> None:
        """A new theme: look the colours up again at the next frame."""
        super().notify_style_update()
        self._colours.clear()
        self._todo = None

    def render_line(self, y: int) -> Strip:
        """The bar as one strip of two segments: at 12 frames a second, no Text, no markup."""
        if self._todo is None:
            self._todo = self.get_component_rich_style("phase-bar--todo")
        width = self.content_size.width
        done, todo = bar_text(self.eighths, width)
        return Strip([Segment(done, self._colours.get(self.phase)), Segment(todo, self._todo)], width)
