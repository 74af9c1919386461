"""The phase name in a full-width block of the phase's colour: the one thing to see from the machine."""

from __future__ import annotations

from textual.widgets import Static

from tempo_coach.core.tempo import Phase


class PhaseBanner(Static):
    """Shows 'NEGATIVE', 'REST', 'PAUSED · POSITIVE'; its CSS class carries the phase colour."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._shown: tuple[Phase | None, str, bool] | None = None

    def show(self, phase: Phase | None, title: str, paused: bool) -> None:
        """Repaint only when the phase, its title or the pause state changed."""
        if self._shown == (phase, title, paused):
            return
        old_phase = self._shown[0] if self._shown else None
        self._shown = (phase, title, paused)
        if old_phase is not None:
            self.remove_class(f"phase-{old_phase.value}")
        if phase is not None:
            self.add_class(f"phase-{phase.value}")
        self.set_class(paused, "paused")
        self.update(title, layout=False)  # fixed size: no layout pass needed
