"""The phase in a full-width band of the phase's colour, in big letters: the one thing to see from
the machine."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style

from tempo_coach.core.tempo import Phase
from tempo_coach.tui.widgets.big_text import BigText
from tempo_coach.tui.widgets.phase_colours import PhaseStyles, component_classes


class PhaseBanner(BigText):
    """'NEGATIVE', 'REST', 'PAUSED' in big letters on the phase's colour (`phase-banner--<phase>`).

    The big word is the instruction ('EXPLOSIVE' rather than 'POSITIVE · EXPLOSIVE'); the full
    title ('PAUSED · POSITIVE') is its one-line form, shown when big letters do not fit."""

    COMPONENT_CLASSES: ClassVar[set[str]] = component_classes("phase-banner")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.phase: Phase | None = None
        self.paused = False
        self.colours = PhaseStyles(self, "phase-banner")

    def show_phase(self, phase: Phase | None, word: str, title: str, paused: bool) -> None:
        if (phase, paused) != (self.phase, self.paused):
            self.phase, self.paused = phase, paused
            self.refresh()
        self.show(word, title)

    def rows_style(self) -> Style:
        return self.colours.get(self.phase, self.paused)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.colours.clear()
