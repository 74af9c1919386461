"""The phase in a full-width band of the phase's colour, in big letters: the one thing to see from
the machine."""

from __future__ import annotations

from tempo_coach.core.tempo import Phase
from tempo_coach.tui.widgets.big_text import BigText
from tempo_coach.tui.widgets.phase_class import set_phase_class


class PhaseBanner(BigText):
    """'NEGATIVE', 'REST', 'PAUSED' in big letters; its CSS class carries the phase colour.

    The big word is the instruction ('EXPLOSIVE' rather than 'POSITIVE · EXPLOSIVE'); the full
    title ('PAUSED · POSITIVE') is its one-line form, shown when big letters do not fit."""

    def show_phase(self, phase: Phase | None, word: str, title: str, paused: bool) -> None:
        set_phase_class(self, phase)
        if self.has_class("paused") != paused:
            self.set_class(paused, "paused")
        self.show(word, title)
