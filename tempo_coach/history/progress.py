"""Progress read from the history: per exercise and session date, what the sets add up to, and the
suggestion for next time (the rule itself is pure: `core/progress.py`).

An exercise is a workout's `exercise`, else its preset's name, else the preset's id (as
`core.routine.exercise_name` names it), matched without regard to case: "Leg press" and "leg press"
are one exercise. A session is one local calendar day: two workouts of an exercise on one day are one
session, their sets in the order they were done.

The start screen calls `last_session_line`, `suggest` and `last_load`; `tempo-coach progress` and
the history screen call `exercises` and `sessions`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from tempo_coach.core import progress
from tempo_coach.core.load import MAX_LOAD, Load, Unit
from tempo_coach.core.model import Preset
from tempo_coach.core.progress import SetResult, Suggestion
from tempo_coach.history.store import HistoryStore

_KEY = "CASE WHEN w.exercise != '' THEN w.exercise WHEN w.name != '' THEN w.name ELSE w.preset END"
_UNITS = {unit.value: unit for unit in Unit}


@dataclass(frozen=True)
class Exercise:
    """One exercise in the history: its latest spelling, every spelling it was recorded under, the
    presets it was done with (latest first), and when it was last done (ISO UTC)."""

    name: str
    spellings: tuple[str, ...]
    presets: tuple[str, ...]
    last_started: str


@dataclass(frozen=True)
class SessionProgress:
    """One exercise's sets on one day, in the order they were done."""

    day: date
    sets: tuple[SetResult, ...]
    tut_s: float
    """Time under tension of the working sets that count."""

    @property
    def working(self) -> list[SetResult]:
        """The sets that count (no warm-up, no set cut short, no set of 0 reps)."""
        return progress.counted(self.sets)

    @property
    def reps(self) -> list[int]:
        return [s.reps_done for s in self.working]

    @property
    def fallback_reps(self) -> list[int | None]:
        return [s.fallback_rep for s in self.working]

    @property
    def top_load(self) -> Load | None:
        return progress.top_load(self.sets)

    @property
    def volume(self) -> float | None:
        return progress.volume(self.sets)

    @property
    def estimated_1rm(self) -> float | None:
        return progress.estimated_1rm(self.sets)


def exercises(store: HistoryStore) -> list[Exercise]:
    """Every exercise with a set in the history, most recently done first."""
    if store.empty:
        return []
    with store.reading():
        rows = store.conn.execute(
            f"SELECT {_KEY} AS k, w.preset, max(w.started_at) AS last FROM workouts w"
            " WHERE w.id IN (SELECT workout_id FROM sets) GROUP BY k, w.preset ORDER BY last DESC, k"
        ).fetchall()
    grouped: dict[str, list[tuple[str, str, str]]] = {}
    for key, preset, last in rows:
        grouped.setdefault(str(key).casefold(), []).append((str(key), str(preset), str(last)))
    return [
        Exercise(
            name=found[0][0],
            spellings=tuple(dict.fromkeys(key for key, _, _ in found)),
            presets=tuple(dict.fromkeys(preset for _, preset, _ in found)),
            last_started=found[0][2],
        )
        for found in grouped.values()
    ]


def find_exercise(store: HistoryStore, name: str) -> Exercise | None:
    """The exercise called `name` (any case), or None."""
    wanted = name.strip().casefold()
    return next((e for e in exercises(store) if e.name.casefold() == wanted), None)


def sessions(store: HistoryStore, exercise: Exercise, limit: int | None = None) -> list[SessionProgress]:
    """The exercise's sessions, oldest first: all of them, or the latest `limit`."""
    latest = list(_sessions_newest_first(store, exercise.spellings, limit))
    return latest[::-1]


def _sessions_newest_first(store: HistoryStore, spellings: Sequence[str], limit: int | None = None) -> Iterator[SessionProgress]:
    if store.empty or not spellings or limit == 0:
        return
    marks = ", ".join("?" * len(spellings))
    days = "" if limit is None else f" AND date(w.started_at, 'localtime') IN (SELECT DISTINCT date(w.started_at, 'localtime') AS d FROM workouts w WHERE {_KEY} IN ({marks}) ORDER BY d DESC LIMIT {int(limit)})"
    with store.reading():
        rows = store.conn.execute(
            "SELECT date(w.started_at, 'localtime') AS day, s.reps_done, s.reps_target, s.fallback_rep,"
            "       s.load, s.unit, s.bodyweight, s.warmup, s.ended, s.tut_s"
            f" FROM workouts w JOIN sets s ON s.workout_id = w.id WHERE {_KEY} IN ({marks}){days}"
            " ORDER BY day DESC, w.started_at, w.id, s.set_no",
            (*spellings, *(spellings if limit is not None else ())),
        )
        day, sets, tut = None, list[SetResult](), 0.0
        for row in rows:
            if row[0] != day:
                if day is not None:
                    yield SessionProgress(date.fromisoformat(day), tuple(sets), tut)
                day, sets, tut = row[0], [], 0.0
            result = SetResult(row[1], row[2], row[3], _load(row[4], row[5], row[6]), bool(row[7]), row[8])
            sets.append(result)
            tut += row[9] if result.counts else 0.0
        if day is not None:
            yield SessionProgress(date.fromisoformat(day), tuple(sets), tut)


def _load(amount: object, unit: object, bodyweight: object) -> Load | None:
    """A set's load as recorded; None when none was (a version 1 set) or the row holds nonsense."""
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount):
        return None
    if abs(amount) > MAX_LOAD or unit not in _UNITS:
        return None
    return Load(float(amount), _UNITS[str(unit)], bool(bodyweight))


def _counted_sessions(store: HistoryStore, exercise: str, count: int) -> list[SessionProgress]:
    """The latest `count` sessions of `exercise` with a set that counts, oldest first."""
    found = find_exercise(store, exercise)
    if found is None:
        return []
    chosen = []
    for session in _sessions_newest_first(store, found.spellings):
        if session.working:
            chosen.append(session)
            if len(chosen) == count:
                break
    return chosen[::-1]


def suggest(store: HistoryStore, exercise: str, preset: Preset | None) -> Suggestion:
    """Next time's load for `exercise`, by the rule in core/progress.py with `preset`'s fallback
    `after_rep` and increment (None: no tempo signal, the unit's increment)."""
    after_rep = preset.fallback.after_rep if preset and preset.fallback else None
    increment = preset.increment if preset else None
    return progress.suggest([s.sets for s in _counted_sessions(store, exercise, 2)], after_rep, increment)


def last_session_line(store: HistoryStore, exercise: str) -> str | None:
    """'last: 100 kg × 12, 12, 10 · slow positive held to rep 9, 8, 6'; None with no session."""
    latest = _counted_sessions(store, exercise, 1)
    if not latest:
        return None
    working = latest[0].working
    groups: list[tuple[Load | None, list[int]]] = []
    for result in working:
        if groups and groups[-1][0] == result.load:
            groups[-1][1].append(result.reps_done)
        else:
            groups.append((result.load, [result.reps_done]))
    line = "last: " + "; ".join(_load_reps(load, reps) for load, reps in groups)
    if any(s.fallback_rep is not None for s in working):
        line += " · slow positive held to rep " + ", ".join(str(s.held_to) for s in working)
    return line


def _load_reps(load: Load | None, reps: list[int]) -> str:
    done = ", ".join(map(str, reps))
    return f"{done} reps" if load is None else f"{load} × {done}"


def last_load(store: HistoryStore, exercise: str) -> Load | None:
    """The load of the last working set of `exercise` that recorded one (a warm-up is not one)."""
    found = find_exercise(store, exercise)
    if found is None or store.empty:
        return None
    marks = ", ".join("?" * len(found.spellings))
    with store.reading():
        for amount, unit, bodyweight in store.conn.execute(
            "SELECT s.load, s.unit, s.bodyweight FROM workouts w JOIN sets s ON s.workout_id = w.id"
            f" WHERE {_KEY} IN ({marks}) AND NOT s.warmup AND s.load IS NOT NULL"
            " ORDER BY w.started_at DESC, w.id DESC, s.set_no DESC",
            found.spellings,
        ):
            load = _load(amount, unit, bodyweight)
            if load is not None:
                return load
    return None
