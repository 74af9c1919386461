"""Progress read from the history: per exercise and session date, what the sets add up to, and the
suggestion for next time (the rule itself is pure: `core/progress.py`).

An exercise is a workout's `exercise`, else its preset's name, else the preset's id (as
`core.routine.exercise_name` names it), matched without regard to case or Unicode compatibility
forms (`folded`): "Leg press" and "leg press" are one exercise. A session is one local calendar day: two workouts of an exercise on one day are one
session, their sets in the order they were done.

The start screen calls `last_session_line`, `suggest` and `last_load`, `tempo-coach run` `last_loads`; `tempo-coach progress` and
the history screen call `exercises` and `sessions`.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tempo_coach.core import progress
from tempo_coach.core.load import MAX_LOAD, Load, Unit
from tempo_coach.core.model import Preset
from tempo_coach.core.progress import SetResult, Suggestion
from tempo_coach.history.schema import HistoryError
from tempo_coach.history.store import HistoryStore

_KEY = "CASE WHEN w.exercise != '' THEN w.exercise WHEN w.name != '' THEN w.name ELSE w.preset END"
_LOAD = f"iif(typeof(s.load) IN ('real', 'integer') AND abs(s.load) <= {MAX_LOAD} AND s.unit IN ('kg', 'lb'), s.load, NULL)"
"""A set's load when it is one (a number within bounds, a known unit); NULL for a version 1 set, or
nonsense in the file (text, infinity)."""
TREND_SESSIONS = 40
"""How many of the latest sessions each exercise's trend shows on the history screen."""
RECENT_DAYS = 8
"""How many of the latest days `suggest` reads first: enough for two sessions that count, unless
most were warm-ups or cut short (then it reads them all)."""


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

    @functools.cached_property
    def working(self) -> list[SetResult]:
        """The sets that count (no warm-up, no set cut short, no set of 0 reps)."""
        return progress.counted(self.sets)

    @property
    def reps(self) -> list[int]:
        return [s.reps_done for s in self.working]

    @property
    def fallback_reps(self) -> list[int | None]:
        return [s.fallback_rep for s in self.working]

    @functools.cached_property
    def figures(self) -> progress.Figures:
        return progress.figures(self.working)

    @property
    def top_load(self) -> Load | None:
        return self.figures.top_load

    @property
    def volume(self) -> float | None:
        return self.figures.volume

    @property
    def estimated_1rm(self) -> float | None:
        return self.figures.estimated_1rm


@dataclass(frozen=True)
class ExerciseTrend:
    """An exercise's latest sessions, oldest first, and how many sessions it has in all."""

    exercise: Exercise
    total_sessions: int
    sessions: tuple[SessionProgress, ...]


def trends(store: HistoryStore, latest: int = TREND_SESSIONS) -> list[ExerciseTrend]:
    """Per exercise, most recently done first, its latest `latest` sessions (the history screen)."""
    found = []
    for exercise in exercises(store):
        where, params = _recorded_as(exercise.spellings)
        with store.reading():
            [(total,)] = store.conn.execute(
                f"SELECT count(DISTINCT date(w.started_at, 'localtime')) FROM workouts w WHERE {where}"
                " AND EXISTS (SELECT 1 FROM sets s WHERE s.workout_id = w.id)",
                params,
            ).fetchall()
        found.append(ExerciseTrend(exercise, int(total), tuple(sessions(store, exercise, latest))))
    return found


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
        grouped.setdefault(folded(str(key)), []).append((str(key), str(preset), str(last)))
    return [
        Exercise(
            name=found[0][0],
            spellings=tuple(dict.fromkeys(key for key, _, _ in found)),
            presets=tuple(dict.fromkeys(preset for _, preset, _ in found)),
            last_started=found[0][2],
        )
        for found in grouped.values()
    ]


def folded(name: str) -> str:
    """A name as exercises are matched: any case, full-width or compatibility letters as plain ones
    ('ＬＥＧ press' is 'leg press'), no spaces around it."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def find_exercise(store: HistoryStore, name: str) -> Exercise | None:
    """The exercise called `name` (any case), else the one last done with the preset `name`, or None."""
    known = exercises(store)
    wanted = folded(name)
    by_name = (e for e in known if wanted in (folded(s) for s in e.spellings))
    return next(by_name, None) or next((e for e in known if name in e.presets), None)


def sessions(store: HistoryStore, exercise: Exercise, limit: int | None = None) -> list[SessionProgress]:
    """The exercise's sessions, oldest first: all of them, or the latest `limit`."""
    latest = list(_sessions_newest_first(store, exercise.spellings, limit))
    return latest[::-1]


def _sessions_newest_first(store: HistoryStore, spellings: Sequence[str], days: int | None = None) -> Iterator[SessionProgress]:
    """The sessions of the exercise recorded under `spellings`, newest first: all, or the latest `days`.
    Each workout's local date is worked out once (a materialized CTE), not once per set."""
    if store.empty or not spellings or days == 0:
        return
    where, params = _recorded_as(spellings)
    latest = "" if days is None else f" WHERE w.day IN (SELECT DISTINCT day FROM w ORDER BY day DESC LIMIT {int(days)})"
    with store.reading():
        rows = store.conn.execute(
            "WITH w AS MATERIALIZED (SELECT w.id, w.started_at, date(w.started_at, 'localtime') AS day"
            f"  FROM workouts w WHERE {where})"
            f" SELECT w.day, s.reps_done, s.reps_target, s.fallback_rep, {_LOAD}, s.unit, s.bodyweight, s.warmup,"
            f"        s.ended, s.tut_s FROM w JOIN sets s ON s.workout_id = w.id{latest}"
            " ORDER BY w.day DESC, w.started_at, w.id, s.set_no",
            params,
        )
        day, sets, tut = None, list[SetResult](), 0.0
        for row in rows:
            if row[0] != day:
                if day is not None:
                    yield SessionProgress(date.fromisoformat(day), tuple(sets), tut)
                day, sets, tut = row[0], [], 0.0
            result = _set_result(row[1:9])
            sets.append(result)
            tut += row[9] if result.counts else 0.0
        if day is not None:
            yield SessionProgress(date.fromisoformat(day), tuple(sets), tut)


def _recorded_as(spellings: Sequence[str]) -> tuple[str, list[str]]:
    """The workouts of an exercise as a WHERE clause on `w` that the (exercise, started_at) index
    serves: by `exercise`, or by name or preset where no exercise was recorded."""
    marks = ", ".join("?" * len(spellings))
    return f"(w.exercise IN ({marks}) OR (w.exercise = '' AND {_KEY} IN ({marks})))", [*spellings, *spellings]


@functools.lru_cache(maxsize=4096)
def _set_result(row: tuple[object, ...]) -> SetResult:
    """A set from its row (reps_done, reps_target, fallback_rep, load, unit, bodyweight, warmup,
    ended), remembered: a history repeats the same few sets, and SetResult is immutable."""
    reps, target, fallback, amount, unit, bodyweight, warmup, ended = row
    load = None if amount is None else Load(float(amount), Unit(unit), bool(bodyweight))  # type: ignore[arg-type]
    return SetResult(reps, target, fallback, load, bool(warmup), str(ended))  # type: ignore[arg-type]


def _counted_sessions(store: HistoryStore, exercise: str | Exercise, count: int) -> list[SessionProgress]:
    """The latest `count` sessions of `exercise` with a set that counts, oldest first: from the
    latest few days, or, when those do not hold them, from them all."""
    found = exercise if isinstance(exercise, Exercise) else find_exercise(store, exercise)
    if found is None:
        return []
    for days in (RECENT_DAYS, None):
        chosen = [s for s in _sessions_newest_first(store, found.spellings, days) if s.working][:count]
        if len(chosen) == count:
            break
    return chosen[::-1]


def suggest(store: HistoryStore, exercise: str | Exercise, preset: Preset | None) -> Suggestion:
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


def last_loads(path: Path, names: Iterable[str]) -> dict[str, Load]:
    """The last working load of each exercise in `names` that has one, read from the history at
    `path` (`tempo-coach run` offers it where no load is given). A history that is missing or
    cannot be read offers none: the coach runs without it."""
    try:
        store = HistoryStore.open_for_reading(path)
    except HistoryError:
        return {}
    if store is None:
        return {}
    with store:
        found = {name: last_load(store, name) for name in dict.fromkeys(names)}
    return {name: load for name, load in found.items() if load is not None}


def last_load(store: HistoryStore, exercise: str) -> Load | None:
    """The load of the last working set of `exercise` that recorded one (a warm-up is not one)."""
    found = find_exercise(store, exercise)
    if found is None or store.empty:
        return None
    where, params = _recorded_as(found.spellings)
    with store.reading():
        row = store.conn.execute(
            f"SELECT s.reps_done, s.reps_target, s.fallback_rep, {_LOAD} AS load, s.unit, s.bodyweight, s.warmup, s.ended"
            f" FROM workouts w JOIN sets s ON s.workout_id = w.id WHERE {where} AND NOT s.warmup AND load IS NOT NULL"
            " ORDER BY w.started_at DESC, w.id DESC, s.set_no DESC LIMIT 1",
            params,
        ).fetchone()
    return None if row is None else _set_result(tuple(row)).load
