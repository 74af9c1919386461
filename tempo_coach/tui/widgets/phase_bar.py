"""A plain progress bar for the phase: no timers of its own (Textual's ProgressBar ticks every second)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class PhaseBar(Widget):
    """How far through the phase, drawn in whole cells; repaints only when a cell fills."""

    DEFAULT_CSS = """
    PhaseBar { height: 1; }
    """

    cells = reactive(0)
    """Filled cells (0..width): the quantity that decides what is drawn."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.fraction = 0.0

    def show(self, fraction: float) -> None:
        self.fraction = min(1.0, max(0.0, fraction))
        self.cells = round(self.fraction * self.content_size.width)

    def on_resize(self) -> None:
        self.show(self.fraction)

    def render(self) -> Text:
        width = self.content_size.width
        filled = min(self.cells, width)
        bar = Text("━" * filled, style=self.get_component_rich_style("phase-bar--done"))
        bar.append("─" * (width - filled), style=self.get_component_rich_style("phase-bar--todo"))
        return bar

    COMPONENT_CLASSES = {"phase-bar--done", "phase-bar--todo"}
