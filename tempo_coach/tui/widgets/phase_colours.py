"""Phase colours as component classes (`phase-bar--negative`), looked up once per phase and theme.

A widget that changes colour with the phase draws its own rows in the style of the phase's
component class: changing a CSS class several times a second would restyle the widget through the
whole stylesheet each time, for what is only a different colour.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget

from tempo_coach.core.tempo import Phase

PAUSED = "paused"


def component_classes(prefix: str) -> set[str]:
    """`prefix--<phase>` for every phase, and `prefix--paused`."""
    return {f"{prefix}--{phase.value}" for phase in Phase} | {f"{prefix}--{PAUSED}"}


class PhaseStyles:
    """The rich style of `prefix--<phase>` on one widget, cached until its styles change."""

    def __init__(self, widget: Widget, prefix: str) -> None:
        self.widget = widget
        self.prefix = prefix
        self._cache: dict[str, Style] = {}

    def get(self, phase: Phase | None, paused: bool = False) -> Style:
        name = PAUSED if paused else (phase or Phase.NOT_STARTED).value
        style = self._cache.get(name)
        if style is None:
            style = self._cache[name] = self.widget.get_component_rich_style(f"{self.prefix}--{name}", partial=False)
        return style

    def clear(self) -> None:
        """The theme or the CSS changed: look the colours up again."""
        self._cache.clear()
