"""The history's schema and its migrations.

The schema version lives in `PRAGMA user_version`; `MIGRATIONS[i]` takes a database from version i
to i + 1, each step in its own transaction. A database at version 0 with tables of its own belongs
to another program and is never touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

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
    # 1 -> 2: the weight on the bar, warm-ups, effort, routines; "ended" apart from "cut short".
    # Every workout and set of version 1 is kept. Version 1 had one flag for "ended before the
    # target", so its unfinished sets become "cut short"; from version 2 a set ended on purpose
    # (Enter) is "ended". `completed` stays, as ended = 'completed'.
    """
    ALTER TABLE workouts ADD COLUMN routine TEXT NOT NULL DEFAULT '';  -- the routine's id; '' for one preset
    ALTER TABLE sets ADD COLUMN load REAL;                              -- NULL: no load recorded
    ALTER TABLE sets ADD COLUMN unit TEXT;                              -- 'kg' or 'lb'; NULL with no load
    ALTER TABLE sets ADD COLUMN bodyweight INTEGER NOT NULL DEFAULT 0;  -- 1: bodyweight plus `load`
    ALTER TABLE sets ADD COLUMN warmup INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sets ADD COLUMN rir INTEGER;                            -- reps in reserve, 0-4 (4: 4 or more); NULL: not told
    ALTER TABLE sets ADD COLUMN note TEXT NOT NULL DEFAULT '';
    ALTER TABLE sets ADD COLUMN ended TEXT NOT NULL DEFAULT 'completed'; -- 'completed', 'ended' (Enter) or 'cut short'
    UPDATE sets SET ended = 'cut short' WHERE NOT completed;
    CREATE INDEX workouts_exercise_started ON workouts (exercise, started_at);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

AS_CURRENT: dict[int, str] = {
    # A version-1 history as version 2 reads it, for readers, who never migrate a file: temporary
    # views (in the connection's own temp schema, nothing is written to the file) shadow the tables.
    # The columns are named, so a coach migrating the file meanwhile changes nothing for the reader.
    1: """
    CREATE TEMP VIEW workouts AS
        SELECT id, started_at, ended_at, preset, name, exercise, tempo, sets_planned, reps_target, '' AS routine
        FROM main.workouts;
    CREATE TEMP VIEW sets AS
        SELECT workout_id, set_no, reps_done, reps_target, tut_s, fallback_rep, completed, saved_at,
               NULL AS load, NULL AS unit, 0 AS bodyweight, 0 AS warmup, NULL AS rir, '' AS note,
               iif(completed, 'completed', 'cut short') AS ended
        FROM main.sets;
    """,
}
"""For each older version, how a reader sees it as the current one (the migration's defaults)."""


class HistoryError(Exception):
    """The history cannot be used; the message says why in words the lifter can act on."""


def readable_version(conn: sqlite3.Connection, shown_path: str, known: int = SCHEMA_VERSION) -> int:
    """The schema version, once it is one this tempo-coach can read: 0 is an empty history."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > known:
        raise HistoryError(
            f"{shown_path} has schema version {version}, newer than this tempo-coach knows ({known}); upgrade tempo-coach to use it"
        )
    if version == 0 and conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None:
        raise HistoryError(f"{shown_path} is an SQLite database of another program, not a workout history")
    return version


def migrate(conn: sqlite3.Connection, migrations: Sequence[str] = MIGRATIONS, shown_path: str = "the history") -> int:
    """Bring the schema up to date, one version per transaction; returns the version reached.

    An up-to-date history takes no lock (another program may be holding the write lock). Two coaches
    migrating a new database at once are safe: the version is re-read under the write lock.
    """
    while (version := readable_version(conn, shown_path, len(migrations))) < len(migrations):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if readable_version(conn, shown_path, len(migrations)) == version:
                for statement in _statements(migrations[version]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return version


def read_as_current(conn: sqlite3.Connection, version: int) -> None:
    """Let a reader's queries of the current schema run on an older history, unchanged."""
    if version in AS_CURRENT:
        for statement in _statements(AS_CURRENT[version]):
            conn.execute(statement)


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):  # not a ';' inside a string or a trigger body
            if pending.strip(" \t\n;"):
                yield pending.strip()
            pending = ""
