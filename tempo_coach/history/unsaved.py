"""Sets the history could not take, kept in a JSON file instead of being lost.

The file goes beside the history (`history.sqlite3.unsaved-20261125T184000Z.json`), or, if that
folder cannot be written, into the data folder; it is never one that is already there, and it is
synced to disk before its name is reported. It holds `workouts`, each with its unsaved `sets` (and
any reps in reserve or note tagged to them), with the keys of `tempo-coach history --json`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tempo_coach.core.model import Preset
from tempo_coach.history.records import SetRecord, iso


@dataclass(frozen=True)
class UnsavedWorkout:
    """One exercise's workout row as the recorder would open it, and its sets not yet in the history."""

    preset: Preset
    exercise: str
    started_at: datetime
    sets: tuple[SetRecord, ...]


def unsaved_sets(history: Path, routine: str, workouts: Sequence[UnsavedWorkout], reason: str) -> dict[str, object]:
    """The workouts and their unsaved sets, with why they were not saved; each workout and set
    with the keys of `tempo-coach history --json`."""
    return {
        "history": str(history),
        "reason": reason,
        "workouts": [
            {
                "started_at": iso(w.started_at),
                "routine": routine,
                "preset": w.preset.id,
                "name": w.preset.name,
                "exercise": w.exercise,
                "tempo": str(w.preset.tempo),
                "sets_planned": w.preset.sets,
                "reps_target": w.preset.reps,
                "sets": [s.as_json() for s in w.sets],
            }
            for w in workouts
        ],
    }


def write_unsaved(history: Path, spare_dir: Path, kept: dict[str, object], now: datetime) -> Path:
    """Write `kept` to a new file beside `history`, else in `spare_dir`; returns its path. Raises
    the last OSError if neither folder takes it."""
    stem = f"{history.name}.unsaved-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    text = json.dumps(kept, indent=2, ensure_ascii=False) + "\n"
    failure = OSError("no folder to write to")
    for folder in (history.parent, spare_dir):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return _write_new(folder, stem, text)
        except OSError as error:
            failure = error
    raise failure


def _write_new(folder: Path, stem: str, text: str) -> Path:
    """<stem>.json, or <stem>-<n>.json if that is taken: never a file that is already there."""
    n = 0
    while True:
        target = folder / (f"{stem}.json" if n == 0 else f"{stem}-{n}.json")
        try:
            with open(target, "x", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            return target
        except FileExistsError:
            n += 1
