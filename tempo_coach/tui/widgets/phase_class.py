"""The `phase-<name>` CSS class that colours a widget by the running phase (tempo_coach.tcss)."""

from __future__ import annotations

from textual.widget import Widget

from tempo_coach.core.tempo import Phase

PREFIX = "phase-"


def set_phase_class(widget: Widget, phase: Phase | None) -> None:
    """Give `widget` the class of `phase` (and no other phase's); nothing restyled if unchanged."""
    wanted = f"{PREFIX}{phase.value}" if phase is not None else None
    stale = [name for name in widget.classes if name.startswith(PREFIX) and name != wanted]
    if stale:
        widget.remove_class(*stale)
    if wanted is not None and not widget.has_class(wanted):
        widget.add_class(wanted)
