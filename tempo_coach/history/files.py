"""Opening the history file, for writing or for reading, and moving a damaged one aside.

Only what is proven ours and broken is ever moved: a regular file (not a link, a folder, a FIFO or a
device) that SQLite itself calls damaged (SQLITE_NOTADB, SQLITE_CORRUPT or a failed quick_check), and
still the same file we opened. Anything else at the path is refused with a HistoryError and left as
it was.

The writer opens the file in WAL mode with a busy timeout, so two coaches can write to it at once,
and `synchronous=FULL`, so a committed set survives a crash or a dying battery.

Readers (`tempo-coach history`, the history screen) never create, move or change a file: they open
with `mode=rw` (which never creates the database and, unlike `mode=ro`, lets SQLite tidy its -wal
and -shm files away on close) under `query_only`; an older schema is read through temporary views as
the current one (`schema.read_as_current`), since a reader never migrates. A read-only file, or a
WAL database in a read-only folder (where SQLite cannot make the -shm file it needs), is read as
`immutable`: nothing is left behind, but a -wal file a crashed coach may have left is ignored, and
the reader says so.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from tempo_coach.core.text import printable
from tempo_coach.history.schema import HistoryError, migrate, read_as_current, readable_version

BUSY_TIMEOUT_S = 10.0
"""How long a write waits for another coach's write lock before it counts as failed."""

_DAMAGED_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
_BUSY_CODES = {"SQLITE_BUSY", "SQLITE_LOCKED"}
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def shown(path: Path) -> str:
    """A path as it may be printed: control characters escaped."""
    return printable(str(path))


class _Damaged(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def existing_file(path: Path) -> os.stat_result | None:
    """The regular file at `path` (a link to one will do), or None when there is nothing there.
    Raises HistoryError for anything else, without opening it (opening a FIFO would wait forever)."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise HistoryError(f"cannot read {shown(path)}: {error.strerror}") from None
    if not stat.S_ISREG(found.st_mode):
        kind = _KINDS.get(stat.S_IFMT(found.st_mode), "not a regular file")
        raise HistoryError(f"{shown(path)} is {kind}, not a workout history")
    return found


# ---- writing -------------------------------------------------------------------------------------


def open_for_writing(path: Path, now: datetime, busy_timeout_s: float = BUSY_TIMEOUT_S) -> tuple[sqlite3.Connection, str | None]:
    """A migrated connection, and a notice when a damaged history had to be moved aside first."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise HistoryError(f"cannot create the history folder {shown(path.parent)}: {error.strerror}") from None
    before = existing_file(path)
    try:
        return _connect_waiting(path, busy_timeout_s), None
    except _Damaged as damaged:
        reason = damaged.reason
    moved = _move_aside(path, before, reason, now)
    notice = (
        f"The workout history at {shown(path)} could not be read ({reason}); "
        f"it was moved to {shown(Path(moved.name))} and a new history was started."
    )
    try:
        return _connect_waiting(path, busy_timeout_s), notice
    except _Damaged as again:
        raise HistoryError(f"cannot start a new history at {shown(path)}: {again.reason}") from None


def _connect_waiting(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    """`_connect_writable`, waiting while another coach holds the database: switching a new file to
    WAL takes a lock that SQLite's busy timeout does not wait for."""
    deadline = time.monotonic() + busy_timeout_s
    while True:
        try:
            return _connect_writable(path, busy_timeout_s)
        except sqlite3.OperationalError as error:
            if time.monotonic() > deadline:
                raise HistoryError(f"cannot open {shown(path)}: {error}") from None
            time.sleep(0.02)


def _connect_writable(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    """Raises _Damaged for a damaged file, sqlite3.OperationalError when busy, HistoryError else."""
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {round(busy_timeout_s * 1000)}")
        readable_version(conn, shown(path))  # before anything changes: refuse another program's file
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        check = conn.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            raise _Damaged(f"integrity check: {check[0] if check else 'no answer'}")
        migrate(conn, shown_path=shown(path))
        return conn
    except sqlite3.DatabaseError as error:
        if conn is not None:
            conn.close()
        name = getattr(error, "sqlite_errorname", "")
        if name in _DAMAGED_CODES:
            raise _Damaged(str(error)) from None
        if name in _BUSY_CODES:
            raise
        if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise HistoryError(f"cannot write {shown(path)}: it or its folder is read-only ({error})") from None
        raise HistoryError(f"cannot open {shown(path)}: {error}") from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise


def _move_aside(path: Path, before: os.stat_result | None, reason: str, moment: datetime) -> Path:
    """Rename the damaged database (and its -wal, -shm) to <name>.corrupt-<timestamp>, once it is
    proven to be the very regular file SQLite failed on; returns the new path."""
    try:
        now = path.lstat()
    except OSError as error:
        raise HistoryError(f"{shown(path)} is damaged ({reason}) and cannot be moved aside: {error.strerror}") from None
    same = before is not None and (now.st_dev, now.st_ino) == (before.st_dev, before.st_ino)
    if not (stat.S_ISREG(now.st_mode) and same):
        raise HistoryError(f"{shown(path)} is damaged ({reason}); it is a link or was replaced meanwhile, so it was left alone")
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
        raise HistoryError(f"{shown(path)} is damaged ({reason}) and cannot be moved aside: {error.strerror}") from None
    return target


# ---- reading -------------------------------------------------------------------------------------


def open_for_reading(path: Path) -> tuple[sqlite3.Connection, int, str | None] | None:
    """(a query-only connection, the schema version, a notice) for the history at `path`, or None
    when there is none yet. Creates, moves and changes nothing."""
    if existing_file(path) is None:
        return None
    conn: sqlite3.Connection | None = None
    try:
        conn, notice = _connect_readable(path)
        version = readable_version(conn, shown(path))
        conn.execute("PRAGMA query_only = OFF")  # for the temp schema only: the file is never written
        read_as_current(conn, version)
        conn.execute("PRAGMA query_only = ON")
        return conn, version, notice
    except BaseException as error:
        if conn is not None:
            conn.close()
        if isinstance(error, sqlite3.Error):
            raise reading_error(path, error) from None
        raise


def _connect_readable(path: Path) -> tuple[sqlite3.Connection, str | None]:
    """Read-write if SQLite may tidy up after itself; else immutable (no -shm is left behind), with
    a notice when that misses sets in a -wal file."""
    wal = _size(path.with_name(path.name + "-wal"))
    if not wal and not os.access(path, os.W_OK):  # a read-only file, all in the file itself
        return _connect_uri(path, "mode=ro&immutable=1"), None
    conn = _connect_uri(path, "mode=rw")
    try:
        conn.execute("PRAGMA user_version")  # the first read: a folder with no room for -shm shows here
        return conn, None
    except sqlite3.OperationalError as error:
        conn.close()
        if getattr(error, "sqlite_errorname", "") != "SQLITE_CANTOPEN":
            raise
    conn = _connect_uri(path, "mode=ro&immutable=1")
    return conn, (f"{shown(path)} is in a read-only folder; the latest sets, in its -wal file, may be missing" if wal else None)


def reading_error(path: Path, error: sqlite3.Error) -> HistoryError:
    """What a reader says when SQLite fails: a damaged file is left for the next workout to move."""
    if getattr(error, "sqlite_errorname", "") in _DAMAGED_CODES:
        return HistoryError(f"{shown(path)} is damaged ({error}); the next workout moves it aside and starts a new history")
    return HistoryError(f"cannot read {shown(path)}: {error}")


def _connect_uri(path: Path, mode: str) -> sqlite3.Connection:
    uri = f"file://{urllib.parse.quote(str(path.absolute()))}?{mode}"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
