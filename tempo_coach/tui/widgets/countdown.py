"""The big countdown: Textual Digits showing whole seconds left (ceil), changed only on change."""

from __future__ import annotations

from textual.widgets import Digits

from tempo_coach.tui.widgets.display import clock, seconds_left


class Countdown(Digits):
    """Whole seconds left in the phase; minutes:seconds from a minute up."""

    def show(self, remaining: float) -> None:
        text = clock(seconds_left(remaining))
        if text != self.value:
            self.update(text)
