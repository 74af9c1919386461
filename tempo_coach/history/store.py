"""Workout history: a SQLite store that never loses a finished set, and the recorder that feeds it.

The store is one SQLite file (`paths.history_path()`), in WAL mode with a busy timeout so two
coaches can write to it at once, and `synchronous=FULL` so a committed set survives a crash or a
dying battery. Its schema version lives in `PRAGMA user_version`; `MIGRATIONS[i]` takes a database
from version i to i + 1, each step in its own transaction.

A database that SQLite says is corrupt or not a database is moved aside to
`history.sqlite3.corrupt-<UTC timestamp>` (with its -wal and -shm files) and a fresh one is started;
`HistoryStore.notice` then says so in a sentence the UI can show. When no store can be opened at
all (a read-only disk, a database from a newer tempo-coach) the `Recorder` keeps the coach running
and only reports the problem.

`Recorder` is what the app uses while a workout runs: `on_events` only enqueues (it is called from
the scheduler thread while the coach's lock is held), and its own writer thread commits each
`SetCompleted` the moment it arrives. The workout row is created with its first set, so a workout
abandoned before any set ended leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tempo_coach import paths
from tempo_coach.core.events import Event, SetCompleted
from tempo_coach.core.model import Preset

BUSY_TIMEOUT_MS = 10_000
TREND_SESSIONS = 40
"""How many of the latest sessions each exercise's trend shows."""

MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: workouts and their sets.
    """
    CREATE TABLE workouts (
        id           INTEGER PRIMARY KEY,
        started_at   TEXT    NOT NULL,  -- ISO 8601, UTC, fixed width: sorts as text
        ended_at     TEXT,
        preset       TEXT    NOT NULL,  -- the preset's id, the name given to `run`
        name         TEXT    NOT NULL DEFAULT '',
        exercise     TEXT    NOT NULL DEFAULT '',
        tempo        TEXT    NOT NULL,
        sets_planned INTEGER NOT NULL,
        reps_target  INTEGER            -- NULL: as many reps as possible
    );
    CREATE INDEX workouts_started ON workouts (started_at);
    CREATE INDEX workouts_preset_started ON workouts (preset, started_at);
    CREATE TABLE sets (
        workout_id   INTEGER NOT NULL REFERENCES workouts (id) ON DELETE CASCADE,
        set_no       INTEGER NOT NULL,
        reps_done    INTEGER NOT NULL,
        reps_target  INTEGER,
        tut_s        REAL    NOT NULL,
        fallback_rep INTEGER,
        completed    INTEGER NOT NULL,  -- 0: cut short by the lifter, a quit or a signal
        saved_at     TEXT    NOT NULL,
        PRIMARY KEY (workout_id, set_no)
    ) WITHOUT ROWID;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

_CORRUPT_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


class HistoryError(Exception):
    """The history cannot be used; the message says why in words the lifter can act on."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Fixed-width UTC ISO 8601 ('2026-11-25T12:40:28.123+00:00'), so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is the lifter's local time
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


# ---- what the queries return -------------------------------------------------------------------


@dataclass(frozen=True)
class SetRecord:
    set: int
    reps_done: int
    reps_target: int | None
    tut_s: float
    fallback_rep: int | None
    completed: bool

    def as_json(self) -> dict[str, object]:
        return {
            "set": self.set,
            "reps_done": self.reps_done,
            "reps_target": self.reps_target,
            "tut_s": round(self.tut_s, 3),
            "fallback_rep": self.fallback_rep,
            "completed": self.completed,
        }


@dataclass(frozen=True)
class WorkoutRecord:
    id: int
    started_at: datetime
    preset: str
    name: str
    exercise: str
    tempo: str
    sets_planned: int
    reps_target: int | None
    sets: tuple[SetRecord, ...]

    @property
    def reps_done(self) -> int:
        return sum(s.reps_done for s in self.sets)

    @property
    def tut_s(self) -> float:
        return sum(s.tut_s for s in self.sets)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat(timespec="milliseconds"),
            "preset": self.preset,
            "name": self.name,
            "exercise": self.exercise,
            "tempo": self.tempo,
            "sets_planned": self.sets_planned,
            "reps_target": self.reps_target,
            "sets": [s.as_json() for s in self.sets],
        }


@dataclass(frozen=True)
class Session:
    """One workout as a point on a trend line."""

    started_at: datetime
    tempo: str
    sets: int
    reps_done: int
    tut_s: float


@dataclass(frozen=True)
class Trend:
    """One preset's latest sessions, oldest first, and how many there are in all."""

    preset: str
    exercise: str
    total_sessions: int
    sessions: tuple[Session, ...]


# ---- the store ---------------------------------------------------------------------------------


class HistoryStore:
    """One connection to the history database. Use it from one thread at a time."""

    def __init__(self, conn: sqlite3.Connection, path: Path, notice: str | None = None) -> None:
        self.conn = conn
        self.path = path
        self.notice = notice

    @classmethod
    def open(cls, path: Path | None = None, *, now: Callable[[], datetime] = now_utc) -> HistoryStore:
        """Open (creating or migrating) the database; a corrupt one is moved aside and started afresh.

        Raises HistoryError when no usable database can be had at `path`.
        """
        path = Path(path) if path is not None else paths.history_path()
        try:
            return cls(_connect(path), path)
        except _Corrupt as corrupt:
            moved = _move_aside(path, now())
            notice = (
                f"The workout history at {path} could not be read ({corrupt.reason}); "
                f"it was moved to {moved.name} and a new history was started."
            )
            try:
                return cls(_connect(path), path, notice)
            except _Corrupt as again:
                raise HistoryError(f"cannot start a new history at {path}: {again.reason}") from None

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
                (
                    workout_id,
                    result.set,
                    result.reps_done,
                    result.reps_target,
                    result.tut,
                    result.fallback_rep,
                    int(result.completed),
                    stamp,
                ),
            )
            conn.execute("UPDATE workouts SET ended_at = max(coalesce(ended_at, ''), ?) WHERE id = ?", (stamp, workout_id))

    # ---- reading ---------------------------------------------------------------------------

    def workouts(
        self, preset: str | None = None, since: datetime | None = None, limit: int | None = None
    ) -> list[WorkoutRecord]:
        """Workouts with at least one set, newest first, each with its sets in order."""
        where, params = _filters(preset, since)
        sql = (
            "SELECT id, started_at, preset, name, exercise, tempo, sets_planned, reps_target FROM workouts w"
            f" WHERE {_HAS_SETS}{where}"
            " ORDER BY started_at DESC, id DESC"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self.conn.execute(sql, params).fetchall()
        sets = self._sets_of([row[0] for row in rows])
        return [
            WorkoutRecord(
                id=row[0],
                started_at=_parse_iso(row[1]),
                preset=row[2],
                name=row[3],
                exercise=row[4],
                tempo=row[5],
                sets_planned=row[6],
                reps_target=row[7],
                sets=tuple(sets.get(row[0], ())),
            )
            for row in rows
        ]

    def _sets_of(self, workout_ids: list[int]) -> dict[int, list[SetRecord]]:
        found: dict[int, list[SetRecord]] = {}
        if not workout_ids:
            return found
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (id INTEGER PRIMARY KEY)")
        self.conn.execute("DELETE FROM temp.wanted")
        self.conn.executemany("INSERT OR IGNORE INTO temp.wanted VALUES (?)", ((i,) for i in workout_ids))
        for row in self.conn.execute(
            "SELECT workout_id, set_no, reps_done, reps_target, tut_s, fallback_rep, completed"
            " FROM sets WHERE workout_id IN (SELECT id FROM temp.wanted) ORDER BY workout_id, set_no"
        ):
            found.setdefault(row[0], []).append(SetRecord(row[1], row[2], row[3], row[4], row[5], bool(row[6])))
        return found

    def trends(self, sessions: int = TREND_SESSIONS) -> list[Trend]:
        """Per preset, the latest `sessions` workouts' total reps and time under tension, most
        recently trained preset first. One indexed query per preset, so a long history stays fast."""
        totals = self.conn.execute(
            f"SELECT preset, count(*) FROM workouts w WHERE {_HAS_SETS} GROUP BY preset"
        ).fetchall()
        trends = []
        for preset, total in totals:
            rows = self.conn.execute(
                "SELECT w.exercise, w.name, w.started_at, w.tempo, count(*), sum(s.reps_done), sum(s.tut_s)"
                f" FROM (SELECT * FROM workouts w WHERE preset = ? AND {_HAS_SETS}"
                "       ORDER BY started_at DESC, id DESC LIMIT ?) w"
                " JOIN sets s ON s.workout_id = w.id GROUP BY w.id ORDER BY w.started_at, w.id",
                (preset, sessions),
            ).fetchall()
            exercise, name = rows[-1][0], rows[-1][1]
            trends.append(
                Trend(
                    preset=preset,
                    exercise=exercise or name or preset,
                    total_sessions=total,
                    sessions=tuple(Session(_parse_iso(r[2]), r[3], r[4], r[5], r[6]) for r in rows),
                )
            )
        trends.sort(key=lambda t: t.sessions[-1].started_at, reverse=True)
        return trends

    def counts(self) -> tuple[int, int]:
        """(workouts with sets, sets) in the whole history."""
        row = self.conn.execute(
            "SELECT (SELECT count(DISTINCT workout_id) FROM sets), (SELECT count(*) FROM sets)"
        ).fetchone()
        return int(row[0]), int(row[1])


_HAS_SETS = "EXISTS (SELECT 1 FROM sets s WHERE s.workout_id = w.id)"


def _filters(preset: str | None, since: datetime | None) -> tuple[str, list[object]]:
    where, params = "", list[object]()
    if preset is not None:
        where += " AND preset = ?"
        params.append(preset)
    if since is not None:
        where += " AND started_at >= ?"
        params.append(iso(since))
    return where, params


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


# ---- opening, migrating, moving aside ------------------------------------------------------------


class _Corrupt(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_BUSY_CODES = ("SQLITE_BUSY", "SQLITE_LOCKED")


def _connect(path: Path) -> sqlite3.Connection:
    """A migrated connection in WAL mode, waiting while another coach holds the database: switching
    a new file to WAL takes a lock that SQLite's busy timeout does not wait for."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return _connect_once(path)
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorname", "") not in _BUSY_CODES or time.monotonic() > deadline:
                raise HistoryError(f"cannot open the workout history at {path}: {error}") from None
            time.sleep(0.02)


def _connect_once(path: Path) -> sqlite3.Connection:
    """A migrated connection in WAL mode. Raises _Corrupt for a damaged or non-database file,
    sqlite3.OperationalError when busy, HistoryError for anything else that stops us."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise HistoryError(f"cannot create the history folder {path.parent}: {error.strerror}") from None
    if path.exists() and not path.is_file():
        raise _Corrupt("it is not a file")
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        check = conn.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            raise _Corrupt(f"integrity check: {check[0] if check else 'no answer'}")
        migrate(conn)
        return conn
    except sqlite3.DatabaseError as error:
        if conn is not None:
            conn.close()
        name = getattr(error, "sqlite_errorname", "")
        if name in _CORRUPT_CODES:
            raise _Corrupt(str(error)) from None
        if name in _BUSY_CODES:
            raise
        raise HistoryError(f"cannot open the workout history at {path}: {error}") from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise


def migrate(conn: sqlite3.Connection, migrations: Sequence[str] = MIGRATIONS) -> int:
    """Bring the schema up to date, one version per transaction; returns the version reached.

    Two coaches opening a new database at once are safe: the version is re-read under the write lock.
    """
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(migrations):
                raise HistoryError(
                    f"the workout history has schema version {version}, newer than this tempo-coach knows"
                    f" ({len(migrations)}); upgrade tempo-coach to use it"
                )
            if version == len(migrations):
                conn.execute("COMMIT")
                return int(version)
            for statement in _statements(migrations[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):  # not a ';' inside a string or a trigger body
            if pending.strip(" \t\n;"):
                yield pending.strip()
            pending = ""


def _move_aside(path: Path, moment: datetime) -> Path:
    """Rename the database (and its -wal, -shm) to <name>.corrupt-<timestamp>; returns the new path."""
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    try:
        os.replace(path, target)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, target.with_name(target.name + suffix))
    except OSError as error:
        raise HistoryError(f"the workout history at {path} is damaged and cannot be moved aside: {error.strerror}") from None
    return target


# ---- recording a workout as it runs -------------------------------------------------------------


@dataclass(frozen=True)
class _Flush:
    done: threading.Event


_STOP = object()


class Recorder:
    """Saves one workout's sets as they end, on its own writer thread.

    - `on_events(events)`: from any thread (the scheduler's listener); only enqueues, never blocks.
    - `save_partial(set_completed)`: the set cut short by a quit or a signal; returns once committed.
    - `flush()`: returns once everything queued so far is committed (the summary screen).
    - `close()`: flush, then stop the writer thread. Safe to call twice.

    Problems never stop the coach: they end up in `notice` / `error` and `on_notice(text)`, which is
    called from the writer thread (`App.notify` is thread-safe).
    """

    def __init__(
        self,
        preset: Preset,
        path: Path | None = None,
        *,
        started_at: datetime | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> None:
        self.preset = preset
        self.path = Path(path) if path is not None else paths.history_path()
        self.started_at = started_at or now_utc()
        self.workout_id: int | None = None
        self.saved = 0
        self.notice: str | None = None
        self.error: str | None = None
        self._on_notice = on_notice
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="tempo-coach-history", daemon=True)
        self._thread.start()

    def on_events(self, events: Sequence[Event]) -> None:
        for event in events:
            if isinstance(event, SetCompleted):
                self._queue.put(event)

    def save_partial(self, partial: SetCompleted | None, timeout: float = 5.0) -> bool:
        """Commit the set in progress (from `Workout.partial_set(now)`); True once all is saved."""
        if partial is not None:
            self._queue.put(partial)
        return self.flush(timeout)

    def flush(self, timeout: float = 5.0) -> bool:
        if not self._thread.is_alive():
            return False
        done = threading.Event()
        self._queue.put(_Flush(done))
        return done.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Commit what is queued and stop the writer; every call waits for that (up to `timeout`)."""
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
        self._thread.join(timeout)

    # ---- the writer thread ------------------------------------------------------------------

    def _run(self) -> None:
        store = self._open()
        try:
            while (item := self._queue.get()) is not _STOP:
                if isinstance(item, _Flush):
                    item.done.set()
                elif isinstance(item, SetCompleted) and store is not None:
                    self._save(store, item)
        finally:
            if store is not None:
                store.close()
            while True:  # release anyone still waiting on a flush
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if isinstance(item, _Flush):
                    item.done.set()

    def _open(self) -> HistoryStore | None:
        try:
            store = HistoryStore.open(self.path)
        except HistoryError as error:
            self._report(f"Workout history is off for this session: {error}", error=True)
            return None
        if store.notice:
            self._report(store.notice)
        return store

    def _save(self, store: HistoryStore, result: SetCompleted) -> None:
        try:
            with store.transaction():
                workout_id = self.workout_id
                if workout_id is None:
                    workout_id = store.start_workout(self.preset, self.started_at)
                store.save_set(workout_id, result)
            self.workout_id = workout_id
        except sqlite3.Error as error:
            self._report(f"Set {result.set} could not be saved to the workout history: {error}", error=True)
            return
        self.saved += 1

    def _report(self, text: str, error: bool = False) -> None:
        if error:
            self.error = text
        else:
            self.notice = text
        if self._on_notice is not None:
            try:
                self._on_notice(text)
            except Exception:  # the UI may already be gone; the text stays in notice / error
                pass
