"""The phase bar: how far through the phase, moving smoothly in eighths of a cell.

It has its own small timer, running only while a phase runs (not paused, not on a screen that is
covered), and on each tick it computes the progress from the clock, never from counted ticks:
`1 - (deadline - now) / duration`. It repaints only itself, and only when the drawn eighth changed;
the rest of the screen keeps its one redraw a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual.timer import Timer
from textual.widget import Widget

EIGHTHS = " ▏▎▍▌▋▊▉"
"""A cell filled 0/8 to 7/8 from the left; a full cell is █."""
STEPS_PER_PHASE = 24
"""How many times the bar moves in a phase, at most: a 2 s phase moves every 1/12 s."""
FASTEST_FRAME_S = 1 / 12
"""Never faster than 12 Hz (a 1 s phase still gets 12 visible steps)."""
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
    """A one-row bar; `show` hands it the phase's timing, its timer moves it in between."""

    DEFAULT_CSS = """
    PhaseBar { height: 1; }
    """
    COMPONENT_CLASSES = {"phase-bar--done", "phase-bar--todo"}

    def __init__(self, clock: Callable[[], float] = time.monotonic, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.deadline = 0.0
        self.duration = 0.0
        self.eighths = 0
        """What is drawn: filled eighths of a cell."""
        self._timer: Timer | None = None
        self._frame = 0.0

    def show(self, remaining: float, duration: float, running: bool) -> None:
        """The phase as of now: `remaining` of `duration` seconds; `running` moves it on its own."""
        self.deadline = self.clock() + remaining
        self.duration = duration
        frame = frame_s(duration)
        if self._timer is not None and (not running or frame != self._frame):
            self._timer.stop()
            self._timer = None
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
        """Repaint the bar (this widget only) if the eighth it shows has changed."""
        eighths = int(self.progress() * 8 * self.content_size.width)
        if eighths != self.eighths:
            self.eighths = eighths
            self.refresh()

    def on_resize(self) -> None:
        self.tick()

    def render(self) -> Text:
        done, todo = bar_text(self.eighths, self.content_size.width)
        bar = Text(done, style=self.get_component_rich_style("phase-bar--done"))
        bar.append(todo, style=self.get_component_rich_style("phase-bar--todo"))
        return bar
