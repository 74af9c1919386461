"""The history store, its migrations and corrupt-database recovery, the Recorder, two writers at
once, and `tempo-coach history` as a table, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tempo_coach.cli import commands as cli
from tempo_coach.core.events import SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.history.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    HistoryError,
    HistoryStore,
    Recorder,
    migrate,
)

LEG_PRESS = Preset(id="leg-press", tempo=parse_tempo("2-1-2-1"), name="Leg press", exercise="Leg press", sets=3, reps=12)
PUSH_UP = Preset(id="push-up", tempo=parse_tempo("2-0-1-1"), exercise="Push-up", sets=2, reps=None)
DAY = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)


def done(n: int, reps: int = 12, target: int | None = 12, fallback: int | None = None, completed: bool = True) -> SetCompleted:
    return SetCompleted(set=n, reps_done=reps, reps_target=target, tut=reps * 6.0, fallback_rep=fallback, completed=completed, at=100.0 * n)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


def workout(store: HistoryStore, preset: Preset, started: datetime, *sets: SetCompleted) -> int:
    wid = store.start_workout(preset, started)
    for s in sets:
        store.save_set(wid, s)
    return wid


# ---- the store -------------------------------------------------------------------------------


def test_a_new_store_is_created_in_wal_mode_at_the_current_schema(db: Path) -> None:
    with HistoryStore.open(db) as store:
        assert store.notice is None
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert db.is_file()


def test_sets_round_trip_newest_workout_first(db: Path) -> None:
    with HistoryStore.open(db) as store:
        workout(store, LEG_PRESS, DAY, done(1, fallback=9), done(2, reps=10, completed=False))
        workout(store, PUSH_UP, DAY + timedelta(days=2), done(1, reps=25, target=None))
        first, second = store.workouts()
    assert (first.preset, first.tempo, first.started_at) == ("push-up", "2-0-1-1", DAY + timedelta(days=2))
    assert second.preset == "leg-press" and second.tempo == "2-1-2-1"
    assert [(s.set, s.reps_done, s.reps_target, s.fallback_rep, s.completed) for s in second.sets] == [
        (1, 12, 12, 9, True),
        (2, 10, 12, None, False),
    ]
    assert second.sets[1].tut_s == 60.0 and second.reps_done == 22


def test_a_workout_without_sets_does_not_appear(db: Path) -> None:
    with HistoryStore.open(db) as store:
        store.start_workout(LEG_PRESS, DAY)
        assert store.workouts() == [] and store.trends() == [] and store.counts() == (0, 0)


def test_filters_by_preset_since_and_limit(db: Path) -> None:
    with HistoryStore.open(db) as store:
        for day in range(5):
            workout(store, LEG_PRESS if day % 2 else PUSH_UP, DAY + timedelta(days=day), done(1))
        assert [w.started_at.day for w in store.workouts(preset="leg-press")] == [23, 21]
        assert [w.started_at.day for w in store.workouts(since=DAY + timedelta(days=3))] == [24, 23]
        assert len(store.workouts(limit=2)) == 2


def test_saving_a_set_twice_keeps_the_fuller_record(db: Path) -> None:
    with HistoryStore.open(db) as store:
        wid = workout(store, LEG_PRESS, DAY, done(1, reps=5, completed=False), done(1, reps=12))
        workout_again = workout(store, LEG_PRESS, DAY + timedelta(days=1), done(1, reps=12), done(1, reps=5, completed=False))
        by_id = {w.id: w for w in store.workouts()}
    assert [(s.reps_done, s.completed) for s in by_id[wid].sets] == [(12, True)]
    assert [(s.reps_done, s.completed) for s in by_id[workout_again].sets] == [(12, True)]


def test_trends_give_each_preset_its_latest_sessions_oldest_first(db: Path) -> None:
    with HistoryStore.open(db) as store:
        for day in range(6):
            workout(store, LEG_PRESS, DAY + timedelta(days=day), done(1, reps=8 + day), done(2, reps=8))
        workout(store, PUSH_UP, DAY + timedelta(days=10), done(1, reps=20, target=None))
        push, legs = store.trends(sessions=4)
    assert push.preset == "push-up" and push.total_sessions == 1
    assert legs.exercise == "Leg press" and legs.total_sessions == 6
    assert [s.reps_done for s in legs.sessions] == [18, 19, 20, 21]
    assert [s.tut_s for s in legs.sessions] == [108.0, 114.0, 120.0, 126.0]


# ---- migrations ------------------------------------------------------------------------------


def test_migrations_step_an_old_database_up_and_keep_its_data(db: Path) -> None:
    with HistoryStore.open(db) as store:
        workout(store, LEG_PRESS, DAY, done(1))
        future = (*MIGRATIONS, "ALTER TABLE workouts ADD COLUMN note TEXT NOT NULL DEFAULT '';")
        assert migrate(store.conn, future) == SCHEMA_VERSION + 1
        assert migrate(store.conn, future) == SCHEMA_VERSION + 1  # idempotent
        assert store.conn.execute("SELECT preset, note FROM workouts").fetchall() == [("leg-press", "")]


def test_a_failed_migration_leaves_the_version_and_data_alone(db: Path) -> None:
    with HistoryStore.open(db) as store:
        workout(store, LEG_PRESS, DAY, done(1))
        broken = (*MIGRATIONS, "ALTER TABLE workouts ADD COLUMN x TEXT; SELECT * FROM no_such_table;")
        with pytest.raises(sqlite3.OperationalError):
            migrate(store.conn, broken)
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "x" not in [row[1] for row in store.conn.execute("PRAGMA table_info(workouts)")]
        assert len(store.workouts()) == 1


def test_a_history_from_a_newer_tempo_coach_is_refused_not_moved(db: Path) -> None:
    HistoryStore.open(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    with pytest.raises(HistoryError, match="newer than this tempo-coach"):
        HistoryStore.open(db)
    assert [p.name for p in db.parent.iterdir() if "corrupt" in p.name] == []


# ---- corrupt or unreadable databases -----------------------------------------------------------


def test_a_file_that_is_not_a_database_is_moved_aside_and_a_fresh_one_started(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not sqlite\n" * 500)
    moment = datetime(2026, 11, 25, 9, 15, 0, tzinfo=UTC)
    with HistoryStore.open(db, now=lambda: moment) as store:
        assert store.notice is not None
        assert "could not be read" in store.notice and "history.sqlite3.corrupt-20261125T091500Z" in store.notice
        workout(store, LEG_PRESS, DAY, done(1))
        assert len(store.workouts()) == 1
    aside = db.with_name("history.sqlite3.corrupt-20261125T091500Z")
    assert aside.read_bytes() == b"this is not sqlite\n" * 500


def test_a_database_with_damaged_pages_is_moved_aside(db: Path) -> None:
    with HistoryStore.open(db) as store:
        with store.transaction():
            for day in range(300):
                workout(store, LEG_PRESS, DAY + timedelta(hours=day), done(1), done(2), done(3))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    data[3 * page : 6 * page] = b"\xa5" * (3 * page)
    db.write_bytes(bytes(data))
    with HistoryStore.open(db) as store:
        assert store.notice is not None and "moved to history.sqlite3.corrupt-" in store.notice
        assert store.workouts() == []
    assert len(list(db.parent.glob("history.sqlite3.corrupt-*"))) >= 1


def test_two_corrupt_files_in_the_same_second_do_not_overwrite_each_other(db: Path) -> None:
    moment = datetime(2026, 11, 25, 9, 15, tzinfo=UTC)
    db.parent.mkdir(parents=True)
    for text in (b"first", b"second"):
        db.write_bytes(text * 1000)
        HistoryStore.open(db, now=lambda: moment).close()
    kept = sorted(p.read_bytes()[:6] for p in db.parent.glob("history.sqlite3.corrupt-*") if not p.name.endswith(("-wal", "-shm")))
    assert kept == [b"firstf", b"second"]


def test_a_directory_where_the_database_should_be_is_moved_aside(db: Path) -> None:
    db.mkdir(parents=True)
    with HistoryStore.open(db) as store:
        assert store.notice is not None
    assert db.is_file()


# ---- the recorder ----------------------------------------------------------------------------


def read_sets(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT w.preset, w.tempo, s.set_no, s.reps_done, s.completed FROM sets s JOIN workouts w ON w.id = s.workout_id"
            " ORDER BY w.started_at, s.set_no"
        ).fetchall()
    finally:
        conn.close()


def wait_for(condition, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


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


def test_the_recorder_keeps_the_coach_running_when_history_is_impossible(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    notices: list[str] = []
    recorder = Recorder(LEG_PRESS, tmp_path / "a-file" / "history.sqlite3", on_notice=notices.append)
    recorder.on_events([done(1)])
    recorder.save_partial(done(2, completed=False))
    recorder.close()
    assert recorder.error is not None and "history is off" in recorder.error
    assert notices == [recorder.error] and recorder.saved == 0


def test_the_recorder_reports_a_corrupt_database_it_moved_aside(db: Path) -> None:
    db.parent.mkdir(parents=True)
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
    from tempo_coach.history.store import Recorder
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


# ---- tempo-coach history -----------------------------------------------------------------------


@pytest.fixture
def filled(db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEMPO_COACH_HISTORY", str(db))  # restored after the test, even if --history changes it
    with HistoryStore.open(db) as store:
        workout(store, LEG_PRESS, DAY, done(1, fallback=9), done(2, reps=10, fallback=7, completed=False))
        workout(store, PUSH_UP, DAY + timedelta(days=3), done(1, reps=25, target=None))
    return db


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert cli.main(list(argv)) == 0
    return capsys.readouterr().out


def test_history_json_has_the_documented_keys(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workouts = json.loads(run_cli(capsys, "history", "--json"))
    assert [w["preset"] for w in workouts] == ["push-up", "leg-press"]
    legs = workouts[1]
    assert {"started_at", "preset", "tempo", "sets"} <= legs.keys()
    assert datetime.fromisoformat(legs["started_at"]) == DAY
    assert legs["tempo"] == "2-1-2-1"
    assert legs["sets"] == [
        {"set": 1, "reps_done": 12, "reps_target": 12, "tut_s": 72.0, "fallback_rep": 9, "completed": True},
        {"set": 2, "reps_done": 10, "reps_target": 12, "tut_s": 60.0, "fallback_rep": 7, "completed": False},
    ]
    assert workouts[0]["sets"][0]["reps_target"] is None


def test_history_csv_is_one_row_per_set(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli(capsys, "history", "--csv"))))
    assert list(rows[0].keys()) == ["started_at", "preset", "tempo", "set", "reps_done", "reps_target", "tut_s", "fallback_rep", "completed"]
    assert [(r["preset"], r["set"], r["reps_done"], r["reps_target"], r["fallback_rep"], r["completed"]) for r in rows] == [
        ("push-up", "1", "25", "", "", "true"),
        ("leg-press", "1", "12", "12", "9", "true"),
        ("leg-press", "2", "10", "12", "7", "false"),
    ]


def test_history_table_is_newest_first_and_marks_cut_short_sets(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = run_cli(capsys, "history").splitlines()
    assert lines[0].split() == ["STARTED", "PRESET", "TEMPO", "SET", "REPS", "TUT", "FALLBACK"]
    assert "push-up" in lines[1] and "leg-press" in lines[2]
    assert lines[2].split()[-5:] == ["12/12", "72.0", "s", "rep", "9"]
    assert lines[3].split() == ["2", "10/12", "60.0", "s", "rep", "7", "cut", "short"]
    assert lines[-1] == "2 workouts, 3 sets"


def test_history_filters(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert [w["preset"] for w in json.loads(run_cli(capsys, "history", "--json", "--preset", "leg-press"))] == ["leg-press"]
    since = (DAY + timedelta(days=1)).date().isoformat()
    assert [w["preset"] for w in json.loads(run_cli(capsys, "history", "--json", "--since", since))] == ["push-up"]
    assert json.loads(run_cli(capsys, "history", "--json", "--preset", "nothing-like-it")) == []


def test_history_option_points_anywhere(filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "elsewhere.sqlite3"
    with HistoryStore.open(other) as store:
        workout(store, PUSH_UP, DAY, done(1, reps=7, target=None))
    assert [w["sets"][0]["reps_done"] for w in json.loads(run_cli(capsys, "history", "--json", "--history", str(other)))] == [7]
    assert len(json.loads(run_cli(capsys, "--history", str(filled), "history", "--json"))) == 2


def test_history_with_no_database_yet_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEMPO_COACH_HISTORY", str(tmp_path / "none.sqlite3"))
    assert cli.main(["history"]) == 0
    out = capsys.readouterr()
    assert out.out == "no workouts recorded\n" and "no workout history yet" in out.err
    assert not (tmp_path / "none.sqlite3").exists()


def test_history_rejects_a_bad_since(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["history", "--since", "last tuesday"])
    assert exit_.value.code == 2
    assert "is not a date" in capsys.readouterr().err
