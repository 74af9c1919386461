"""The history store: writing and reading sets, migrations, and moving a damaged database aside
(what is not a damaged regular file is in test_history_files.py; the Recorder, the CLI: their own)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tempo_coach.core.events import SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.history import HistoryError, HistoryStore
from tempo_coach.history.schema import MIGRATIONS, SCHEMA_VERSION, migrate

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
        assert store.workouts() == [] and store.counts() == (0, 0)


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
