"""The phase bar: how far through the phase, moving smoothly in eighths of a cell.

While a phase runs (not paused, not under another screen) the bar wakes itself at the moment its
next step is due and computes the progress from the clock, never from counted wake-ups:
`1 - (deadline - now) / duration`. A phase gets STEPS_PER_PHASE visible steps (10 in a 1 s phase,
10 a second at most), on a grid laid from the phase's start, and a wake-up comes no sooner than the
drawn eighth of a cell changes (a narrow bar in a long rest wakes only when it has something new to
show). Only the bar's own row is painted: the rest of the screen keeps its one redraw a second.

The CPU budget (bench/cpu.py: ≤ 1 % of a core mid-set, all of which is the UI's) leaves little for
the bar's 8 steps a second, so each step is cheap:
- the wake-up is one `loop.call_at`, not a Textual timer (a task and three awaits a step);
- the row is written straight to the terminal when that is safe — a real terminal in Textual's
  hands (not once the app has begun to exit), this screen on top, no notification on screen — and
  otherwise Textual repaints it. Textual's own repaint costs about 1 ms of CPU even for one row
  (its message round trip and compositor pass), against 0.3 ms to render the row and write it;
- the row's colours are turned into terminal codes once per phase and theme (`_Row`), through the
  same styles, line filters and console as Textual's repaint: a step only joins the text between them.
Both paths draw the same `bar_text`, so whatever Textual paints later agrees with what was written.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.css.query import NoMatches
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets._toast import ToastRack

from tempo_coach.core.tempo import Phase
from tempo_coach.tui.widgets.phase_colours import PhaseStyles, component_classes

EIGHTHS = " ▏▎▍▌▋▊▉"
"""A cell filled 0/8 to 7/8 from the left; a full cell is █."""
STEPS_PER_PHASE = 10
"""The positions the bar takes in a phase (the issue asks for at least 10 in a 1 s phase): every
0.1 s in a 1 s phase, every 0.2 s in a 2 s phase. Each step costs a wake-up and a write (about
0.3 ms of CPU all told on the benchmark's machine): 12 a phase cost 0.05 % of a core more."""
FASTEST_FRAME_S = 1 / STEPS_PER_PHASE
"""Never faster than 10 Hz (a half-second explosive phase gets 5 steps)."""
SLOWEST_FRAME_S = 1.0
"""A 90 s rest moves its bar once a second."""
LATE_S = 0.001
"""Wake this long after a step is due, so the clock has surely passed it when it is read."""
_DONE_MARK, _TODO_MARK = "\ue000", "\ue001"
"""Stand-ins for the two runs of text while the row's terminal codes are worked out (private-use
characters: no style or filter changes text, so they come out as they went in)."""


def frame_s(duration: float) -> float:
    """The time between the bar's steps in a phase of `duration` seconds."""
    return min(SLOWEST_FRAME_S, max(FASTEST_FRAME_S, duration / STEPS_PER_PHASE))


def bar_text(eighths: int, width: int) -> tuple[str, str]:
    """(done, to do) for a bar of `width` cells filled `eighths` eighths: ('███▌', '──────')."""
    eighths = min(max(eighths, 0), 8 * width)
    full, part = divmod(eighths, 8)
    done = "█" * full + (EIGHTHS[part] if part else "")
    return done, "─" * (width - len(done))


def next_step_at(start: float, duration: float, now: float, eighths: int, width: int) -> float | None:
    """When the bar of a phase running from `start` for `duration` s, showing `eighths`, next has a
    new step to show: the next point of its step grid (`frame_s` apart from `start`), or later, when
    the drawn eighth next changes. None: no step before the phase ends (the next phase's redraw
    takes over from there: a full bar would be on screen for only a few milliseconds)."""
    if duration <= 0 or width <= 0:
        return None
    frame = frame_s(duration)
    grid = start + (int((now - start) / frame) + 1) * frame
    next_eighth = start + duration * (eighths + 1) / (8 * width)
    at = max(grid, next_eighth)
    return at + LATE_S if at < start + duration - LATE_S else None


@dataclass(frozen=True)
class _Row:
    """The bar's row as terminal output with the text left out: `before` + done + `between` + to
    do + `after`, for the phase and line filters it was made for."""

    key: tuple[object, ...]
    before: str
    between: str
    after: str

    def line(self, done: str, todo: str) -> str:
        return f"{self.before}{done}{self.between}{todo}{self.after}"


class PhaseBar(Widget):
    """A one-row bar; `show` hands it the phase's timing, and while `running` it moves on its own.
    The done part has the phase's colour (`phase-bar--<phase>`), the rest `phase-bar--todo`."""

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
        self._running = False
        self._wake: asyncio.TimerHandle | None = None
        self._colours = PhaseStyles(self, "phase-bar")
        self._todo: Style | None = None
        self._row: _Row | None = None
        self._toasts: ToastRack | None = None

    def show(self, phase: Phase | None, remaining: float, duration: float, running: bool) -> None:
        """The phase as of now: `remaining` of `duration` seconds; `running` moves it on its own.

        A new phase, or a bar that stands still, is drawn with the rest of the screen's repaint
        (a new phase repaints the band and the lines around the bar anyway); a phase that runs on
        (the countdown's once-a-second redraw) is left to the bar's own steps."""
        self.deadline = self.clock() + remaining
        self.duration = duration
        self._running = running
        if phase is not self.phase or not running:
            self.phase = phase
            self.eighths = self._eighths_now()
            self.refresh()
        self._wake_for_next_step()

    def stop(self) -> None:
        """Stand still (paused, or under another screen) until `show` says it runs again."""
        self._running = False
        self._cancel_wake()

    @property
    def running(self) -> bool:
        return self._running

    def progress(self, now: float | None = None) -> float:
        """0 to 1, from the clock (now, unless given)."""
        if self.duration <= 0:
            return 1.0
        now = self.clock() if now is None else now
        return min(1.0, max(0.0, 1 - (self.deadline - now) / self.duration))

    def _eighths_now(self) -> int:
        return int(self.progress() * 8 * self.content_size.width)

    def tick(self) -> None:
        """Paint the bar (this row only) if the eighth it shows has changed."""
        self._step(self.clock(), self.content_region)

    def _step(self, now: float, region: Region) -> None:
        eighths = int(self.progress(now) * 8 * region.width)
        if eighths != self.eighths:
            self.eighths = eighths
            if not self._paint_in_place(region):
                self.refresh()

    def _wake_for_next_step(self, now: float | None = None, width: int | None = None) -> None:
        """Wake when the next step is due (see `next_step_at`); none once the phase has no more."""
        self._cancel_wake()
        if not self._running:
            return
        now = self.clock() if now is None else now
        width = self.content_size.width if width is None else width
        at = next_step_at(self.deadline - self.duration, self.duration, now, self.eighths, width)
        if at is not None:
            self._wake = asyncio.get_running_loop().call_later(max(0.0, at - now), self._on_wake)

    def _on_wake(self) -> None:
        """A step is due. The path is kept short: at 8 steps a second it is most of the bar's CPU."""
        self._wake = None
        if self._app_is_leaving():
            return  # no more steps: the bar's own unmount, which stops it, comes too late
        try:
            now, region = self.clock(), self.content_region
            self._step(now, region)
            self._wake_for_next_step(now, region.width)
        except Exception as error:  # as from a Textual timer: the app shows it and exits
            self.app._handle_exception(error)

    def _cancel_wake(self) -> None:
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None

    def on_unmount(self) -> None:
        self.stop()

    def _app_is_leaving(self) -> bool:
        """The app has begun to exit, whatever began it (`exit`: a key, a signal), or its loop has
        stopped (an error). Textual leaves the alternate screen right after its loop stops, and
        unmounts the bar only after that: a row written from then on lands on the shell's screen."""
        app = self.app
        return app._exit or not app.is_running

    def _paint_in_place(self, region: Region) -> bool:
        """Write this row to the terminal now if nothing else can be on it; False: not done."""
        app = self.app
        driver = app._driver  # no public way to write one row: see the module docstring
        if driver is None or self._app_is_leaving() or app.is_headless or app.screen is not self.screen or self._under_a_notification():
            return False
        done, todo = bar_text(self.eighths, region.width)
        x, y = app.cursor_position
        # CSI row;column H moves the cursor (1-based): to the bar, then back where Textual keeps it
        driver.write(f"\x1b[{region.y + 1};{region.x + 1}H{self._terminal_row().line(done, todo)}\x1b[{y + 1};{x + 1}H")
        return True

    def _terminal_row(self) -> _Row:
        """The row's terminal codes for this phase, made once per phase, theme and set of line filters."""
        filters = self.app.get_line_filters()
        key = (self.phase, *filters)
        if self._row is None or self._row.key != key:
            strip = Strip([Segment(_DONE_MARK, self._colours.get(self.phase)), Segment(_TODO_MARK, self._todo_style())])
            strip = strip.apply_style(self.visual_style.rich_style)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, self.background_colors[1])
            before, rest = strip.render(self.app.console).split(_DONE_MARK)
            between, after = rest.split(_TODO_MARK)
            self._row = _Row(key, before, between, after)
        return self._row

    def _under_a_notification(self) -> bool:
        """A notification may cover the bar's row: let Textual paint, it knows the layers."""
        if self._toasts is None or self._toasts.parent is not self.screen:
            try:
                self._toasts = self.screen.get_child_by_type(ToastRack)
            except NoMatches:
                return False
        return bool(self._toasts.children)

    def on_resize(self) -> None:
        """A new width: Textual repaints (the row may have moved), at the eighth for the new width."""
        self.eighths = self._eighths_now()
        self._wake_for_next_step()

    def notify_style_update(self) -> None:
        """A new theme: look the colours up again at the next step."""
        super().notify_style_update()
        self._colours.clear()
        self._todo = None
        self._row = None

    def _todo_style(self) -> Style:
        if self._todo is None:
            self._todo = self.get_component_rich_style("phase-bar--todo")
        return self._todo

    def render_line(self, y: int) -> Strip:
        """The bar as one strip of two segments (Textual's repaint)."""
        width = self.content_size.width
        done, todo = bar_text(self.eighths, width)
        return Strip([Segment(done, self._colours.get(self.phase)), Segment(todo, self._todo_style())], width)
