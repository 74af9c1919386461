"""The big countdown: whole seconds left (rounded up) in block letters, repainted only on change."""

from __future__ import annotations

from tempo_coach.tui.widgets.big_text import BigText
from tempo_coach.tui.widgets.display import clock, seconds_left


class Countdown(BigText):
    """Whole seconds left in the phase; minutes:seconds from a minute up."""

    def show_remaining(self, remaining: float) -> None:
        self.show(clock(seconds_left(remaining)))
