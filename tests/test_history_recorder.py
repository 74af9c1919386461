"""The Recorder never loses a set: a set it cannot save now (another program holding the write lock,
a full disk) is kept in memory and retried, the UI is told, and what is still unsaved at exit goes
to a JSON file; `flush` commits every set handed over before returning, so a kill -9 right after keeps them."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tempo_coach.core.events import SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.history import HistoryStore
from tempo_coach.history.recorder import Recorder

LEG_PRESS = Preset(id="leg-press", tempo=parse_tempo("2-1-2-1"), name="Leg press", exercise="Leg press", sets=3, reps=12)


def done(n: int, reps: int = 12, completed: bool = True) -> SetCompleted:
    return SetCompleted(set=n, reps_done=reps, reps_target=12, tut=reps * 6.0, fallback_rep=None, completed=completed, at=100.0 * n)


def saved_sets(db: Path) -> list[tuple[int, int]]:
    """(set, reps) of every set in the database, as a fresh connection sees it."""
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute("SELECT set_no, reps_done FROM sets ORDER BY set_no").fetchall()
    finally:
        conn.close()


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()
    return path


class WriteLock:
    """Another program holding the history's write lock."""

    def __init__(self, db: Path) -> None:
        self.conn: sqlite3.Connection | None = sqlite3.connect(db, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.conn is not None:
            self.conn.execute("COMMIT")
            self.conn.close()
            self.conn = None


@pytest.fixture
def lock(db: Path) -> Iterator[WriteLock]:
    held = WriteLock(db)
    yield held
    held.release()


def test_a_set_that_cannot_be_saved_is_kept_and_saved_with_the_next_set(db: Path, lock: WriteLock) -> None:
    notices: list[str] = []
    recorder = Recorder(LEG_PRESS, db, on_notice=notices.append, busy_timeout_s=0.1, retry_s=60)
    try:
        recorder.on_events([done(1)])
        assert wait_for(lambda: recorder.unsaved == [(1, "database is locked")])
        assert notices == ["Set 1 not saved yet (database is locked); will retry"]
        assert recorder.error is not None and "Set 1 not saved yet" in recorder.error
        lock.release()
        recorder.on_events([done(2, reps=10)])
        assert wait_for(lambda: saved_sets(db) == [(1, 12), (2, 10)])
        assert wait_for(lambda: recorder.unsaved == [])
        assert notices[-1] == "Set 1 saved to the workout history after all"
    finally:
        recorder.close()
    assert recorder.saved == 2 and recorder.error is None


def test_unsaved_sets_are_retried_in_the_rest_without_waiting_for_the_next_set(db: Path, lock: WriteLock) -> None:
    recorder = Recorder(LEG_PRESS, db, busy_timeout_s=0.1, retry_s=0.2)
    try:
        recorder.on_events([done(1)])
        assert wait_for(lambda: recorder.unsaved == [(1, "database is locked")])
        lock.release()
        assert wait_for(lambda: saved_sets(db) == [(1, 12)])
    finally:
        recorder.close()


def test_sets_still_unsaved_at_exit_go_to_a_json_file_beside_the_history(db: Path, lock: WriteLock) -> None:
    notices: list[str] = []
    recorder = Recorder(LEG_PRESS, db, on_notice=notices.append, busy_timeout_s=0.1, retry_s=60)
    recorder.on_events([done(1), done(2, reps=9, completed=False)])
    spilled = recorder.close()
    assert spilled is not None and spilled.parent == db.parent
    assert spilled.name.startswith("history.sqlite3.unsaved-") and spilled.suffix == ".json"
    kept = json.loads(spilled.read_text())
    assert kept["history"] == str(db) and kept["reason"] == "database is locked"
    (workout,) = kept["workouts"]
    assert workout["preset"] == "leg-press" and workout["tempo"] == "2-1-2-1" and workout["exercise"] == "Leg press"
    assert [(s["set"], s["reps_done"], s["completed"], s["ended"]) for s in workout["sets"]] == [(1, 12, True, "completed"), (2, 9, False, "ended")]
    assert recorder.error == notices[-1]
    assert f"Sets 1 and 2 could not be saved to the workout history (database is locked); they are in {spilled}" == notices[-1]


def test_without_a_usable_history_the_sets_go_to_the_data_folder(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    recorder = Recorder(LEG_PRESS, tmp_path / "a-file" / "history.sqlite3")
    recorder.on_events([done(1)])
    spilled = recorder.close()
    assert spilled is not None and spilled.parent == tmp_path / "data" / "tempo-coach"  # XDG_DATA_HOME, see conftest
    assert [s["set"] for s in json.loads(spilled.read_text())["workouts"][0]["sets"]] == [1]
    assert recorder.error is not None and str(spilled) in recorder.error and recorder.saved == 0


def test_flush_commits_before_returning(db: Path) -> None:
    recorder = Recorder(LEG_PRESS, db)
    try:
        recorder.on_events([done(1)])
        assert recorder.flush(timeout=5.0)
        assert saved_sets(db) == [(1, 12)]
        recorder.on_events([done(1)])  # the same set again from the listener: nothing new, no notice
        assert recorder.flush() and recorder.saved == 1 and recorder.unsaved == []
    finally:
        recorder.close()


def test_flush_gives_up_within_its_bound_and_keeps_the_set(db: Path, lock: WriteLock) -> None:
    recorder = Recorder(LEG_PRESS, db, busy_timeout_s=10, retry_s=60)
    try:
        started = time.monotonic()
        recorder.on_events([done(1)])
        assert not recorder.flush(timeout=0.2)
        assert time.monotonic() - started < 3  # not the 10 s busy timeout
        lock.release()
        assert recorder.flush(timeout=15) and saved_sets(db) == [(1, 12)]
    finally:
        recorder.close()


KILLED_AFTER_FLUSH = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from tempo_coach.core.events import SetCompleted
    from tempo_coach.core.model import Preset
    from tempo_coach.core.tempo import parse_tempo
    from tempo_coach.history.recorder import Recorder

    recorder = Recorder(Preset(id="killed", tempo=parse_tempo("1-0-1-0"), sets=3, reps=5), Path(sys.argv[1]))
    for n in (1, 2):
        recorder.on_events([SetCompleted(n, 5, 5, 10.0, None, True, float(n))])
        if not recorder.flush(5.0):  # what the cue thread does before a set's sound
            sys.exit(3)
    os.kill(os.getpid(), signal.SIGKILL)  # the moment set 2 is reported saved
    """
)


def test_a_kill_9_right_after_flush_keeps_the_set(db: Path) -> None:
    for _ in range(3):
        killed = subprocess.run([sys.executable, "-c", KILLED_AFTER_FLUSH, str(db)], capture_output=True, text=True, timeout=60)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(DISTINCT workout_id), count(*) FROM sets").fetchone() == (3, 6)
    finally:
        conn.close()


def test_on_events_and_unsaved_never_wait_for_the_database(db: Path, lock: WriteLock) -> None:
    recorder = Recorder(LEG_PRESS, db, busy_timeout_s=10, retry_s=60)
    try:
        recorder.on_events([done(1)])
        time.sleep(0.1)  # the writer is now waiting on the lock, for up to 10 s
        started = time.perf_counter()
        recorder.on_events([done(2)])
        assert [n for n, _ in recorder.unsaved] == [1, 2]
        assert time.perf_counter() - started < 1
    finally:
        lock.release()
        recorder.close()


DISK_FULL = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from tempo_coach.core.events import SetCompleted
    from tempo_coach.core.model import Preset
    from tempo_coach.core.tempo import parse_tempo
    from tempo_coach.history.recorder import Recorder

    folder = Path(sys.argv[1])
    db = folder / "history.sqlite3"
    recorder = Recorder(Preset(id="full", tempo=parse_tempo("1-0-1-0"), sets=3, reps=5), db, retry_s=60)
    recorder.flush()  # the history is open
    filler = folder / "filler"
    try:
        with open(filler, "wb") as f:  # fill the small file system to the last block
            while True:
                f.write(b"x" * 4096)
                f.flush()
    except OSError:
        pass
    recorder.on_events([SetCompleted(1, 5, 5, 10.0, None, True, 1.0)])
    deadline = time.monotonic() + 10
    while recorder.unsaved in ([], [(1, "being saved")]) and time.monotonic() < deadline:
        time.sleep(0.01)
    print("unsaved:", recorder.unsaved)
    filler.unlink()  # the disk has room again
    recorder.on_events([SetCompleted(2, 5, 5, 10.0, None, True, 2.0)])
    recorder.close()
    print("saved:", recorder.saved, "error:", recorder.error)
    """
)


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare for a private small file system")
def test_a_disk_full_for_a_moment_loses_no_set(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    script = tmp_path / "disk_full.py"
    script.write_text(DISK_FULL)
    command = f"mount -t tmpfs -o size=256k tmpfs '{folder}' && exec '{sys.executable}' '{script}' '{folder}'"
    result = subprocess.run(["unshare", "-rm", "sh", "-c", command], capture_output=True, text=True, timeout=120)
    if "mount" in result.stderr and result.returncode != 0:
        pytest.skip(f"no private tmpfs here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("unsaved: [(1, 'database or disk is full')]"), result.stdout
    assert lines[1] == "saved: 2 error: None"


def test_threads_can_hand_over_sets_and_flush_at_once(db: Path) -> None:
    recorder = Recorder(LEG_PRESS, db)
    results: list[bool] = []

    def hand_over(n: int) -> None:
        recorder.on_events([done(n)])
        results.append(recorder.flush(timeout=5.0))

    try:
        threads = [threading.Thread(target=hand_over, args=(n,)) for n in (1, 2, 3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [True, True, True] and saved_sets(db) == [(1, 12), (2, 12), (3, 12)]
    finally:
        recorder.close()


# ---- sets as they end, and two coaches at once ---------------------------------------------------


def read_sets(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT w.preset, w.tempo, s.set_no, s.reps_done, s.completed FROM sets s JOIN workouts w ON w.id = s.workout_id"
            " ORDER BY w.started_at, s.set_no"
        ).fetchall()
    finally:
        conn.close()


def test_the_recorder_commits_each_set_the_moment_it_ends(db: Path) -> None:
    HistoryStore.open(db).close()  # so the reader below never sees a half-created file
    recorder = Recorder(LEG_PRESS, db)
    try:
        threading.Thread(target=recorder.on_events, args=([done(1)],)).start()  # as the scheduler thread does
        assert wait_for(lambda: read_sets(db) == [("leg-press", "2-1-2-1", 1, 12, 1)])
        recorder.on_events([done(2, reps=11)])
        assert wait_for(lambda: len(read_sets(db)) == 2)  # no flush, no close: already on disk
    finally:
        recorder.close()


def test_save_partial_commits_the_cut_short_set_before_returning(db: Path) -> None:
    recorder = Recorder(LEG_PRESS, db)
    recorder.on_events([done(1)])
    assert recorder.save_partial(done(2, reps=4, completed=False))
    assert read_sets(db) == [("leg-press", "2-1-2-1", 1, 12, 1), ("leg-press", "2-1-2-1", 2, 4, 0)]
    recorder.close()
    recorder.close()  # twice is fine
    assert recorder.saved == 2 and recorder.error is None


def test_a_workout_quit_before_any_set_leaves_nothing(db: Path) -> None:
    recorder = Recorder(LEG_PRESS, db)
    recorder.save_partial(None)
    recorder.close()
    with HistoryStore.open(db) as store:
        assert store.conn.execute("SELECT count(*) FROM workouts").fetchone()[0] == 0


def test_on_events_never_blocks_even_while_another_process_holds_the_write_lock(db: Path) -> None:
    HistoryStore.open(db).close()
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    recorder = Recorder(LEG_PRESS, db)
    try:
        started = time.perf_counter()
        for n in range(1, 4):
            recorder.on_events([done(n)])
        assert time.perf_counter() - started < 0.05
        time.sleep(0.2)
        assert read_sets(db) == []
    finally:
        blocker.execute("COMMIT")
        blocker.close()
    assert recorder.flush()
    assert len(read_sets(db)) == 3
    recorder.close()


def test_the_recorder_reports_a_corrupt_database_it_moved_aside(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    db.write_bytes(b"\x00garbage" * 800)
    notices: list[str] = []
    recorder = Recorder(LEG_PRESS, db, on_notice=notices.append)
    recorder.save_partial(done(1))
    recorder.close()
    assert len(notices) == 1 and "new history was started" in notices[0]
    assert read_sets(db) == [("leg-press", "2-1-2-1", 1, 12, 1)]


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tempo_coach.core.events import SetCompleted
    from tempo_coach.history.recorder import Recorder
    from tempo_coach.core.model import Preset
    from tempo_coach.core.tempo import parse_tempo

    path, name, workouts, sets = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    preset = Preset(id=name, tempo=parse_tempo("1-0-1-0"), sets=sets, reps=5)
    sys.stdout.write("ready\\n"); sys.stdout.flush()
    sys.stdin.readline()  # both writers start together
    for _ in range(workouts):
        recorder = Recorder(preset, path)
        for n in range(1, sets + 1):
            recorder.on_events([SetCompleted(n, 5, 5, 10.0, None, True, float(n))])
        recorder.close()
        assert recorder.error is None, recorder.error
    """
)


def test_two_coaches_writing_at_once_lose_nothing_and_corrupt_nothing(db: Path) -> None:
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), name, "40", "5"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("coach-a", "coach-b")
    ]
    for writer in writers:
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        assert writer.wait(timeout=120) == 0
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = conn.execute("SELECT w.preset, count(DISTINCT w.id), count(*) FROM sets s JOIN workouts w ON w.id = s.workout_id GROUP BY w.preset").fetchall()
    finally:
        conn.close()
    assert counts == [("coach-a", 40, 200), ("coach-b", 40, 200)]


def test_close_returns_in_its_time_even_while_the_writer_waits_for_a_lock(db: Path, lock: WriteLock) -> None:
    recorder = Recorder(LEG_PRESS, db, busy_timeout_s=30, retry_s=60)
    recorder.on_events([done(1)])
    time.sleep(0.2)  # the writer now waits up to 30 s for the lock
    started = time.monotonic()
    spilled = recorder.close(timeout=1.0)
    assert time.monotonic() - started < 5
    assert spilled is not None and [s["set"] for s in json.loads(spilled.read_text())["workouts"][0]["sets"]] == [1]


def test_a_writer_that_breaks_says_so_and_keeps_the_sets(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(HistoryStore, "save_set", broken)
    notices: list[str] = []
    recorder = Recorder(LEG_PRESS, db, on_notice=notices.append)
    recorder.on_events([done(1)])
    assert wait_for(lambda: recorder.unsaved_file is not None)
    assert "The workout history stopped (RuntimeError('a bug'))" in notices[0]
    assert recorder.close() == recorder.unsaved_file
    assert [s["set"] for s in json.loads(recorder.unsaved_file.read_text())["workouts"][0]["sets"]] == [1]
