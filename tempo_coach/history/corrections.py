"""Putting a wrong entry right: which sets a correction changes, and how each change reads.

`tempo-coach history edit` (and the history screen) decide here, from the workout as it is read,
what each set becomes; the store only writes it. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tempo_coach.core.load import Load, Unit, parse_load
from tempo_coach.history.records import SetRecord, WorkoutRecord
from tempo_coach.history.schema import HistoryError


@dataclass(frozen=True)
class Correction:
    """What to change: the load (text, as `--load` takes it), the unit alone, or one set's reps.
    `set_no` None: every working set (never the warm-ups)."""

    set_no: int | None = None
    load: str | None = None
    unit: Unit | None = None
    reps: int | None = None


def load_of(record: SetRecord) -> Load | None:
    """The set's load as a value; None when none was recorded (or the unit is not one we know)."""
    if record.load is None or record.unit not in ("kg", "lb"):
        return None
    return Load(record.load, Unit(record.unit), record.bodyweight)


def chosen_set(workout: WorkoutRecord, set_no: int) -> SetRecord:
    """The set numbered `set_no`; HistoryError naming the sets there are when there is none."""
    for record in workout.sets:
        if record.set == set_no:
            return record
    numbers = ", ".join(str(s.set) for s in workout.sets)
    raise HistoryError(f"workout {workout.id} has no set {set_no} (its sets: {numbers})")


def corrected(workout: WorkoutRecord, correction: Correction) -> list[tuple[SetRecord, SetRecord]]:
    """(before, after) for every set the correction changes. Raises HistoryError for an unknown
    set, and FieldError for a load that does not parse."""
    if correction.set_no is not None:
        targets = [chosen_set(workout, correction.set_no)]
    else:
        targets = [s for s in workout.sets if not s.warmup]
    changes = []
    for before in targets:
        after = _applied(before, correction)
        if after != before:
            changes.append((before, after))
    return changes


def _applied(record: SetRecord, correction: Correction) -> SetRecord:
    load = load_of(record)
    if correction.load is not None:
        load = parse_load(correction.load, correction.unit or (load.unit if load else Unit.KG))
    elif correction.unit is not None and load is not None:
        load = replace(load, unit=correction.unit)
    if load is not None:
        record = replace(record, load=load.amount, unit=load.unit.value, bodyweight=load.bodyweight)
    if correction.reps is not None:
        record = replace(record, reps_done=correction.reps)
    return record


def change_text(before: SetRecord, after: SetRecord) -> str:
    """'set 2: load 100 kg -> 102.5 kg, reps 10 -> 12'."""
    parts = []
    if load_of(before) != load_of(after):
        parts.append(f"load {_load_text(before)} -> {_load_text(after)}")
    if before.reps_done != after.reps_done:
        parts.append(f"reps {before.reps_done} -> {after.reps_done}")
    return f"set {before.set}: {', '.join(parts)}"


def _load_text(record: SetRecord) -> str:
    load = load_of(record)
    return "none" if load is None else str(load)
