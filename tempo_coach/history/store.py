"""The history store: one SQLite connection, writing sets and reading workouts (trends and progress: `progress.py`).

`HistoryStore.open` is for the coach (creating, migrating, moving a damaged file aside);
`HistoryStore.open_for_reading` is for `tempo-coach history` and the history screen (never creates,
moves or changes anything). How files are opened is in `files.py`; the schema in `schema.py`.

Reading streams: `iter_workouts` walks the workouts newest first with their sets in one indexed
query, so printing a history of 100 000 workouts never holds it all in memory.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tempo_coach import paths
from tempo_coach.core.events import SetCompleted
from tempo_coach.core.load import Load
from tempo_coach.core.model import Preset
from tempo_coach.core.routine import exercise_name
from tempo_coach.history.files import BUSY_TIMEOUT_S, open_for_reading, open_for_writing, reading_error
from tempo_coach.history.records import SetRecord, WorkoutRecord, iso, now_utc, parse_iso, set_record

_HAS_SETS = "EXISTS (SELECT 1 FROM sets s WHERE s.workout_id = w.id)"
_RANK = "(CASE {0}.ended WHEN 'completed' THEN 2 WHEN 'ended' THEN 1 ELSE 0 END)"
"""`records.ENDED_RANK` in SQL, of the row named {0}."""


class HistoryStore:
    """One connection to the history database. Use it from one thread at a time."""

    def __init__(self, conn: sqlite3.Connection, path: Path, notice: str | None = None, empty: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.notice = notice
        self.empty = empty
        """A reader's view of a file with no schema yet (a new, empty file): every query finds nothing."""

    @classmethod
    def open(
        cls, path: Path | None = None, *, now: Callable[[], datetime] = now_utc, busy_timeout_s: float = BUSY_TIMEOUT_S
    ) -> HistoryStore:
        """Open for writing, creating or migrating the database; a damaged one is moved aside and
        started afresh (and `notice` says so). Raises HistoryError when no usable database can be had."""
        path = Path(path) if path is not None else paths.history_path()
        conn, notice = open_for_writing(path, now(), busy_timeout_s)
        return cls(conn, path, notice)

    @classmethod
    def open_for_reading(cls, path: Path) -> HistoryStore | None:
        """Open read-only; None when there is no history yet. Raises HistoryError."""
        opened = open_for_reading(path)
        if opened is None:
            return None
        conn, version, notice = opened
        return cls(conn, path, notice, empty=version == 0)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT (the write lock up front: no deadlock between two writers).

        Nested use joins the outer transaction.
        """
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """SQLite errors while reading as a HistoryError that names the file."""
        try:
            yield
        except sqlite3.Error as error:
            raise reading_error(self.path, error) from None

    # ---- writing ---------------------------------------------------------------------------

    def start_workout(self, preset: Preset, started_at: datetime, *, routine: str = "", exercise: str | None = None) -> int:
        """A new workout row: one exercise (by default the preset's, `exercise_name`), in `routine`."""
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO workouts (started_at, preset, name, exercise, routine, tempo, sets_planned, reps_target)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    iso(started_at),
                    preset.id,
                    preset.name,
                    exercise_name(preset) if exercise is None else exercise,
                    routine,
                    str(preset.tempo),
                    preset.sets,
                    preset.reps,
                ),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def save_set(self, workout_id: int, result: SetCompleted, saved_at: datetime | None = None) -> None:
        """Commit one set as `records.set_record` has it. Saving a set number twice keeps the fuller
        record (a partial set saved on quit, then the same set completed, keeps the completed one);
        its RIR and note stay."""
        stamp = iso(saved_at or now_utc())
        record = set_record(result)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO sets (workout_id, set_no, reps_done, reps_target, tut_s, fallback_rep, completed, ended,"
                "                  load, unit, bodyweight, warmup, saved_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (workout_id, set_no) DO UPDATE SET reps_done = excluded.reps_done,"
                "  reps_target = excluded.reps_target, tut_s = excluded.tut_s, fallback_rep = excluded.fallback_rep,"
                "  completed = excluded.completed, ended = excluded.ended, load = excluded.load, unit = excluded.unit,"
                "  bodyweight = excluded.bodyweight, warmup = excluded.warmup, saved_at = excluded.saved_at"
                f" WHERE excluded.reps_done > sets.reps_done OR {_RANK.format('excluded')} > {_RANK.format('sets')}",
                (
                    workout_id,
                    record.set,
                    record.reps_done,
                    record.reps_target,
                    record.tut_s,
                    record.fallback_rep,
                    int(record.completed),
                    record.ended,
                    record.load,
                    record.unit,
                    int(record.bodyweight),
                    int(record.warmup),
                    stamp,
                ),
            )
            conn.execute("UPDATE workouts SET ended_at = max(coalesce(ended_at, ''), ?) WHERE id = ?", (stamp, workout_id))

    def tag_set(self, workout_id: int, set_no: int, rir: int | None = None, note: str | None = None) -> bool:
        """Set a saved set's reps in reserve and/or note (None: leave it); False when there is no such set."""
        with self.transaction() as conn:
            return (
                conn.execute(
                    "UPDATE sets SET rir = coalesce(?, rir), note = coalesce(?, note) WHERE workout_id = ? AND set_no = ?",
                    (rir, note, workout_id, set_no),
                ).rowcount
                > 0
            )

    def correct_set(self, workout_id: int, set_no: int, *, load: Load | None = None, reps: int | None = None) -> bool:
        """A wrong entry put right: the set's load and/or reps done (None: leave it); False when
        there is no such set."""
        with self.transaction() as conn:
            changed = conn.execute(
                "UPDATE sets SET reps_done = coalesce(?, reps_done) WHERE workout_id = ? AND set_no = ?", (reps, workout_id, set_no)
            ).rowcount
            if load is not None:
                conn.execute(
                    "UPDATE sets SET load = ?, unit = ?, bodyweight = ? WHERE workout_id = ? AND set_no = ?",
                    (load.amount, load.unit.value, int(load.bodyweight), workout_id, set_no),
                )
            return changed > 0

    def delete_set(self, workout_id: int, set_no: int) -> bool:
        """Delete one set (a wrong entry); False when there is no such set."""
        with self.transaction() as conn:
            return conn.execute("DELETE FROM sets WHERE workout_id = ? AND set_no = ?", (workout_id, set_no)).rowcount > 0

    def delete_workout(self, workout_id: int) -> bool:
        """Delete one workout and its sets (a wrong entry); False when there is no such workout."""
        with self.transaction() as conn:
            return conn.execute("DELETE FROM workouts WHERE id = ?", (workout_id,)).rowcount > 0

    # ---- reading ---------------------------------------------------------------------------

    def iter_workouts(self, chosen: Selection | None = None) -> Iterator[WorkoutRecord]:
        """The `chosen` workouts (all by default) that have at least one set, newest first, each with
        its sets in order; streamed."""
        if self.empty:
            return
        source, params = chosen_workouts(chosen or Selection())
        with self.reading():
            rows = self.conn.execute(
                "SELECT w.id, w.started_at, w.preset, w.name, w.exercise, w.tempo, w.sets_planned, w.reps_target, w.routine,"
                "       s.set_no, s.reps_done, s.reps_target, s.tut_s, s.fallback_rep, s.ended,"
                "       s.load, s.unit, s.bodyweight, s.warmup, s.rir, s.note"
                f" FROM {source} JOIN sets s ON s.workout_id = w.id"
                " ORDER BY w.started_at DESC, w.id DESC, s.set_no",
                params,
            )
            for _, group in itertools.groupby(rows, key=lambda row: row[0]):
                sets = tuple(group)
                first = sets[0]
                yield WorkoutRecord(
                    id=first[0],
                    started_at=parse_iso(first[1]),
                    preset=first[2],
                    name=first[3],
                    exercise=first[4],
                    tempo=first[5],
                    sets_planned=first[6],
                    reps_target=first[7],
                    routine=first[8],
                    sets=tuple(_set_record(r[9:]) for r in sets),
                )

    def workout(self, workout_id: int) -> WorkoutRecord | None:
        """One workout with its sets; None when there is none with sets by that id."""
        return next(self.iter_workouts(Selection(workout_id=workout_id)), None)

    def workouts(self, preset: str | None = None, since: datetime | None = None, limit: int | None = None) -> list[WorkoutRecord]:
        """`iter_workouts` as a list."""
        return list(self.iter_workouts(Selection(preset=preset, since=since, limit=limit)))

    def names(self, column: str) -> list[str]:
        """Every distinct preset or exercise (`column`) of the workouts with sets, for did-you-mean."""
        if self.empty:
            return []
        assert column in ("preset", "exercise")
        with self.reading():
            return [row[0] for row in self.conn.execute(f"SELECT DISTINCT {column} FROM workouts w WHERE {_HAS_SETS}")]

    def counts(self) -> tuple[int, int]:
        """(workouts with sets, sets) in the whole history."""
        if self.empty:
            return 0, 0
        with self.reading():
            row = self.conn.execute("SELECT (SELECT count(DISTINCT workout_id) FROM sets), (SELECT count(*) FROM sets)").fetchone()
        return int(row[0]), int(row[1])


def _set_record(row: tuple[Any, ...]) -> SetRecord:
    """A set from its columns as `iter_workouts` selects them."""
    set_no, reps_done, reps_target, tut_s, fallback_rep, ended, load, unit, bodyweight, warmup, rir, note = row
    return SetRecord(set_no, reps_done, reps_target, tut_s, fallback_rep, ended, load, unit, bool(bodyweight), bool(warmup), rir, note)


@dataclass(frozen=True)
class Selection:
    """Which workouts: one id, one preset, exercises by name (exact, as stored), since a moment, the
    newest `limit` (None: all)."""

    preset: str | None = None
    since: datetime | None = None
    limit: int | None = None
    exercises: tuple[str, ...] | None = None
    workout_id: int | None = None


def chosen_workouts(chosen: Selection) -> tuple[str, list[object]]:
    """The workouts asked for (those with sets), as a FROM clause naming them `w`, and its parameters."""
    sql, params = f"SELECT * FROM workouts w WHERE {_HAS_SETS}", list[object]()
    if chosen.workout_id is not None:
        sql += " AND id = ?"
        params.append(chosen.workout_id)
    if chosen.preset is not None:
        sql += " AND preset = ?"
        params.append(chosen.preset)
    if chosen.exercises is not None:
        sql += f" AND exercise IN ({', '.join('?' * len(chosen.exercises))})"
        params.extend(chosen.exercises)
    if chosen.since is not None:
        sql += " AND started_at >= ?"
        params.append(iso(chosen.since))
    if chosen.limit is not None:
        sql += " ORDER BY started_at DESC, id DESC LIMIT ?"
        params.append(chosen.limit)
    return f"({sql}) w", params
