"""What the start screen shows from the history for a preset or a routine: the first exercise's last
session and today's suggestion, and the last load used for each exercise. No Textual.

It reads the database (some tens of milliseconds), so the screen calls it on a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tempo_coach.core.load import Load
from tempo_coach.core.model import Preset
from tempo_coach.core.progress import Suggestion
from tempo_coach.core.routine import Routine, exercise_name
from tempo_coach.history import progress
from tempo_coach.history.schema import HistoryError
from tempo_coach.history.store import HistoryStore


@dataclass(frozen=True)
class Past:
    """The history of a preset's (or a routine's first) exercise; empty with no history."""

    exercise: str = ""
    last_line: str | None = None
    """'last: 100 kg × 12, 12, 10 · slow positive held to rep 9, 8, 6'."""
    suggestion: Suggestion | None = None
    loads: dict[str, Load] = field(default_factory=dict)
    """The last working load of each exercise of the choice that has one."""

    @property
    def offered_load(self) -> Load | None:
        """The load to offer when none is given: today's suggestion, else the last one used."""
        if self.suggestion is not None and self.suggestion.load is not None:
            return self.suggestion.load
        return self.loads.get(self.exercise)


def first_preset(choice: Preset | Routine) -> Preset:
    """The preset of the first exercise the choice runs."""
    return choice.blocks[0].exercises[0].preset if isinstance(choice, Routine) else choice


def read_past(path: Path, choice: Preset | Routine) -> Past:
    """What the history at `path` says of `choice`; empty when there is none or it cannot be read
    (the start screen then shows nothing: the history screen says what is wrong)."""
    try:
        store = HistoryStore.open_for_reading(path)
    except HistoryError:
        return Past()
    if store is None:
        return Past()
    with store:
        preset = first_preset(choice)
        exercise = exercise_name(preset)
        presets = [e.preset for b in choice.blocks for e in b.exercises] if isinstance(choice, Routine) else [preset]
        loads = {}
        for name in dict.fromkeys(map(exercise_name, presets)):
            load = progress.last_load(store, name)
            if load is not None:
                loads[name] = load
        line = progress.last_session_line(store, exercise)
        suggestion = progress.suggest(store, exercise, preset) if line is not None else None
        return Past(exercise, line, suggestion, loads)
