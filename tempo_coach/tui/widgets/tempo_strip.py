"""The tempo with the running phase highlighted: 2-1-[2]-1."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tempo_coach.core.tempo import Phase, Tempo
from tempo_coach.tui.widgets.display import tempo_parts


class TempoStrip(Static):
    """'Tempo 2-1-[2]-1'; the bracketed phase is also drawn in reverse video."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._shown: tuple[Tempo, Phase | None] | None = None

    def show(self, tempo: Tempo, phase: Phase | None) -> None:
        if self._shown == (tempo, phase):
            return
        self._shown = (tempo, phase)
        text = Text("Tempo ")
        for index, (part, current) in enumerate(tempo_parts(tempo, phase)):
            if index:
                text.append("-")
            text.append(f"[{part}]" if current else part, style="bold reverse" if current else "")
        self.update(text, layout=False)  # fixed size: no layout pass needed
