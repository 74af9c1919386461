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
from datetime import datetime
from pathlib import Path

from tempo_coach import paths
from tempo_coach.core.events import SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.history.files import BUSY_TIMEOUT_S, open_for_reading, open_for_writing, reading_error
from tempo_coach.history.records import SetRecord, WorkoutRecord, iso, now_utc, parse_iso

_HAS_SETS = "EXISTS (SELECT 1 FROM sets s WHERE s.workout_id = w.id)"


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

    def start_workout(self, preset: Preset, started_at: datetime) -> int:
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO workouts (started_at, preset, name, exercise, tempo, sets_planned, reps_target)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (iso(started_at), preset.id, preset.name, preset.exercise, str(preset.tempo), preset.sets, preset.reps),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def save_set(self, workout_id: int, result: SetCompleted, saved_at: datetime | None = None) -> None:
        """Commit one set. Saving a set number twice keeps the fuller record (a partial set saved on
        quit, then the same set completed, keeps the completed one)."""
        stamp = iso(saved_at or now_utc())
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO sets (workout_id, set_no, reps_done, reps_target, tut_s, fallback_rep, completed, saved_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (workout_id, set_no) DO UPDATE SET reps_done = excluded.reps_done,"
                "  reps_target = excluded.reps_target, tut_s = excluded.tut_s, fallback_rep = excluded.fallback_rep,"
                "  completed = excluded.completed, saved_at = excluded.saved_at"
                " WHERE excluded.reps_done > sets.reps_done OR excluded.completed > sets.completed",
                (workout_id, result.set, result.reps_done, result.reps_target, result.tut, result.fallback_rep, int(result.completed), stamp),
            )
            conn.execute("UPDATE workouts SET ended_at = max(coalesce(ended_at, ''), ?) WHERE id = ?", (stamp, workout_id))

    def delete_workout(self, workout_id: int) -> bool:
        """Delete one workout and its sets (a wrong entry); False when there is no such workout."""
        with self.transaction() as conn:
            return conn.execute("DELETE FROM workouts WHERE id = ?", (workout_id,)).rowcount > 0

    # ---- reading ---------------------------------------------------------------------------

    def iter_workouts(self, preset: str | None = None, since: datetime | None = None, limit: int | None = None) -> Iterator[WorkoutRecord]:
        """Workouts with at least one set, newest first, each with its sets in order; streamed."""
        if self.empty:
            return
        chosen, params = chosen_workouts(preset, since, limit)
        with self.reading():
            rows = self.conn.execute(
                "SELECT w.id, w.started_at, w.preset, w.name, w.exercise, w.tempo, w.sets_planned, w.reps_target,"
                "       s.set_no, s.reps_done, s.reps_target, s.tut_s, s.fallback_rep, s.completed"
                f" FROM {chosen} JOIN sets s ON s.workout_id = w.id"
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
                    sets=tuple(SetRecord(r[8], r[9], r[10], r[11], r[12], bool(r[13])) for r in sets),
                )

    def workouts(self, preset: str | None = None, since: datetime | None = None, limit: int | None = None) -> list[WorkoutRecord]:
        """`iter_workouts` as a list."""
        return list(self.iter_workouts(preset, since, limit))

    def counts(self) -> tuple[int, int]:
        """(workouts with sets, sets) in the whole history."""
        if self.empty:
            return 0, 0
        with self.reading():
            row = self.conn.execute("SELECT (SELECT count(DISTINCT workout_id) FROM sets), (SELECT count(*) FROM sets)").fetchone()
        return int(row[0]), int(row[1])


def chosen_workouts(preset: str | None, since: datetime | None, limit: int | None) -> tuple[str, list[object]]:
    """The workouts asked for (those with sets), as a FROM clause naming them `w`, and its parameters."""
    sql, params = f"SELECT * FROM workouts w WHERE {_HAS_SETS}", list[object]()
    if preset is not None:
        sql += " AND preset = ?"
        params.append(preset)
    if since is not None:
        sql += " AND started_at >= ?"
        params.append(iso(since))
    if limit is not None:
        sql += " ORDER BY started_at DESC, id DESC LIMIT ?"
        params.append(limit)
    return f"({sql}) w", params
