"""The history of a whole session: a database of the release before keeps every workout and set;
loads, warm-ups, RIR, notes, routines and how each set ended go in and come back out of
`history --json` and `--csv`; the recorder keeps every set of a superset and the tags."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tempo_coach.cli import commands as cli
from tempo_coach.core.engine import Workout
from tempo_coach.core.events import SetCompleted
from tempo_coach.core.load import Load, Unit
from tempo_coach.core.model import Preset
from tempo_coach.core.routine import Block, Exercise, SetPlan, WarmupSet, block_plans
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.history import HistoryStore
from tempo_coach.history.recorder import Recorder

FIXTURE = Path(__file__).parent / "fixtures" / "history-v1.sqlite3"
DAY = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)
SQUAT = Preset(id="goblet-squat", tempo=parse_tempo("3-1-X-0"), name="Goblet squat", exercise="Goblet squat", sets=3, reps=8)
PUSH_UP = Preset(id="push-up", tempo=parse_tempo("2-0-1-1"), exercise="Push-up", sets=2, reps=None)
LEG_PRESS = Preset(id="leg-press", tempo=parse_tempo("2-1-2-1"), name="Leg press", exercise="Leg press", sets=2, reps=12)


def finished(n: int, plan: SetPlan | None, reps: int = 8, completed: bool = True, cut_short: bool = False) -> SetCompleted:
    target = plan.reps if plan else 8
    return SetCompleted(n, reps, target, reps * 5.0, None, completed, float(n), cut_short=cut_short, plan=plan)


def history_json(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> list[dict[str, Any]]:
    assert cli.main(["history", "--history", str(db), "--json", *argv]) == 0
    workouts: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return workouts


def history_csv(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, str]]:
    assert cli.main(["history", "--history", str(db), "--csv"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


# ---- the database of the release before ---------------------------------------------------------

V1_WORKOUTS = "SELECT id, started_at, ended_at, preset, name, exercise, tempo, sets_planned, reps_target FROM workouts ORDER BY id"
V1_SETS = "SELECT workout_id, set_no, reps_done, reps_target, tut_s, fallback_rep, completed, saved_at FROM sets ORDER BY workout_id, set_no"


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    """A copy of the history the release before wrote (schema 1): the fixture itself is never opened."""
    copy = tmp_path / "history.sqlite3"
    shutil.copyfile(FIXTURE, copy)
    assert rows(copy, "PRAGMA user_version") == [(1,)]
    return copy


def test_migrating_the_old_history_keeps_every_workout_and_set(old_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workouts, sets = rows(old_db, V1_WORKOUTS), rows(old_db, V1_SETS)
    assert (len(workouts), len(sets)) == (6, 16)
    HistoryStore.open(old_db).close()  # the coach opens it: migrated
    assert rows(old_db, "PRAGMA user_version") == [(2,)]
    assert rows(old_db, V1_WORKOUTS) == workouts and rows(old_db, V1_SETS) == sets
    shown = history_json(capsys, old_db)
    assert sorted((w["id"], s["set"], s["reps_done"], s["tut_s"], s["completed"]) for w in shown for s in w["sets"]) == [
        (s[0], s[1], s[2], s[4], bool(s[6])) for s in sets
    ]


def test_old_unfinished_sets_read_as_cut_short_and_have_no_load(old_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    HistoryStore.open(old_db).close()
    shown = [s for w in history_json(capsys, old_db) for s in w["sets"]]
    assert {s["ended"] for s in shown if not s["completed"]} == {"cut short"}
    assert {s["ended"] for s in shown if s["completed"]} == {"completed"}
    assert {(s["load"], s["unit"], s["warmup"], s["rir"], s["note"]) for s in shown} == {(None, None, False, None, "")}
    assert sum(not s["completed"] for s in shown) == 3


def test_the_old_history_reads_as_new_without_being_changed(old_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`tempo-coach history` never migrates (it only reads), yet shows an old history with the new fields."""
    before = old_db.read_bytes()
    shown = history_json(capsys, old_db)
    assert sum(len(w["sets"]) for w in shown) == 16
    assert {w["routine"] for w in shown} == {""}
    assert len(history_csv(capsys, old_db)) == 16
    assert cli.main(["history", "--history", str(old_db)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "6 workouts, 16 sets"
    assert old_db.read_bytes() == before and rows(old_db, "PRAGMA user_version") == [(1,)]


# ---- every new field, in and out ----------------------------------------------------------------

NOTE = 'felt "heavy", knees\nok \x1b[31m'


@pytest.fixture
def session_db(tmp_path: Path) -> Path:
    """A leg-day session: leg press with a warm-up at 40 kg, then 100 kg (set 2 ended with Enter,
    tagged RIR 0 and a note), and bodyweight+10 push-ups cut short by a quit."""
    db = tmp_path / "history.sqlite3"
    legs = block_plans(Block((Exercise(LEG_PRESS, Load(100, Unit.KG), (WarmupSet(10, Load(40, Unit.KG)),)),)))
    push = block_plans(Block((Exercise(PUSH_UP, Load(10, Unit.LB, bodyweight=True)),)))
    with HistoryStore.open(db) as store:
        legs_id = store.start_workout(LEG_PRESS, DAY, routine="leg-day")
        store.save_set(legs_id, finished(1, legs[0], reps=10))
        store.save_set(legs_id, finished(2, legs[1], reps=12))
        store.save_set(legs_id, finished(3, legs[2], reps=9, completed=False))
        assert store.tag_set(legs_id, 3, rir=0, note=NOTE)
        push_id = store.start_workout(PUSH_UP, DAY.replace(hour=18), routine="leg-day")
        store.save_set(push_id, finished(1, push[0], reps=3, completed=False, cut_short=True))
    return db


def test_every_new_field_round_trips_through_history_json(session_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    push, legs = history_json(capsys, session_db)
    assert (legs["routine"], legs["exercise"], push["routine"], push["exercise"]) == ("leg-day", "Leg press", "leg-day", "Push-up")
    fields = ("set", "reps_done", "load", "unit", "bodyweight", "warmup", "rir", "note", "ended", "completed")
    assert [tuple(s[f] for f in fields) for s in legs["sets"]] == [
        (1, 10, 40.0, "kg", False, True, None, "", "completed", True),
        (2, 12, 100.0, "kg", False, False, None, "", "completed", True),
        (3, 9, 100.0, "kg", False, False, 0, NOTE, "ended", False),
    ]
    assert [tuple(s[f] for f in fields) for s in push["sets"]] == [(1, 3, 10.0, "lb", True, False, None, "", "cut short", False)]


def test_every_new_field_round_trips_through_history_csv(session_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows_ = history_csv(capsys, session_db)
    fields = ("routine", "exercise", "set", "reps_done", "load", "unit", "bodyweight", "warmup", "rir", "note", "ended", "completed")
    assert [tuple(r[f] for f in fields) for r in rows_] == [
        ("leg-day", "Push-up", "1", "3", "10", "lb", "true", "false", "", "", "cut short", "false"),
        ("leg-day", "Leg press", "1", "10", "40", "kg", "false", "true", "", "", "completed", "true"),
        ("leg-day", "Leg press", "2", "12", "100", "kg", "false", "false", "", "", "completed", "true"),
        ("leg-day", "Leg press", "3", "9", "100", "kg", "false", "false", "0", 'felt "heavy", knees\\nok \\x1b[31m', "ended", "false"),
    ]
    assert {r["id"] for r in rows_} == {str(w["id"]) for w in history_json(capsys, session_db)}


def test_the_table_shows_loads_and_marks_warmups_ended_and_cut_short_sets(session_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["history", "--history", str(session_db)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    header, push, warmup, working, ended, total = out.splitlines()
    assert header.split()[:6] == ["ID", "STARTED", "PRESET", "TEMPO", "SET", "LOAD"]
    assert push.split()[0] == "2" and push.endswith("cut short") and "bw+10 lb" in push
    assert warmup.endswith("warm-up") and "40 kg" in warmup
    assert "100 kg" in working and working.split()[-1] == "-"
    assert ended.endswith('ended · RIR 0 · felt "heavy", knees\\nok \\x1b[31m')
    assert total == "2 workouts, 4 sets"


# ---- the recorder over a session ----------------------------------------------------------------


def test_a_superset_keeps_every_set_of_both_exercises_and_the_tag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "history.sqlite3"
    block = Block((Exercise(SQUAT, Load(24, Unit.KG)), Exercise(PUSH_UP, Load(0, Unit.KG, bodyweight=True))), superset=True)
    plans = block_plans(block)
    assert [p.exercise for p in plans] == ["Goblet squat", "Push-up", "Goblet squat", "Push-up", "Goblet squat"]
    results = [finished(n, plan, reps=8 - n // 2) for n, plan in enumerate(plans, start=1)]
    recorder = Recorder(SQUAT, db, routine="superset-day")
    for result in results:
        recorder.on_events([result])
    recorder.tag(results[3], rir=2, note="slow")  # the second round's push-ups
    recorder.tag(results[3], rir=4)  # changed mind: 4+, the note stays
    assert recorder.flush() and recorder.unsaved == []
    recorder.close()
    push, squat = history_json(capsys, db)
    assert (squat["exercise"], squat["routine"], push["exercise"], push["routine"]) == ("Goblet squat", "superset-day", "Push-up", "superset-day")
    assert [(s["set"], s["reps_done"], s["load"]) for s in squat["sets"]] == [(1, 8, 24.0), (2, 7, 24.0), (3, 6, 24.0)]
    assert [(s["set"], s["reps_done"], s["bodyweight"], s["rir"], s["note"]) for s in push["sets"]] == [
        (1, 7, True, None, ""),
        (2, 6, True, 4, "slow"),
    ]
    assert recorder.saved == 5


def test_a_superset_the_engine_runs_is_recorded_with_the_load_changed_between_sets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real engine on a fake clock: squat and press alternate; after the first press the lifter
    loads 26 kg for the next squat; a quit during the last set keeps it as cut short."""
    db = tmp_path / "history.sqlite3"
    squat, press = (
        Preset(id=name.lower(), exercise=name, tempo=parse_tempo("1-0-1-0"), sets=2, reps=2, rest_ms=1000, get_ready_ms=1000)
        for name in ("Goblet squat", "Press")
    )
    workout = Workout(block_plans(Block((Exercise(squat, Load(24, Unit.KG)), Exercise(press, Load(30, Unit.KG))), superset=True)))
    recorder = Recorder(squat, db, routine="upper-lower")
    now, events = 0.0, workout.start(0.0)
    while not (workout.in_set and workout.plan.exercise == "Press" and workout.plan.number == 2 and workout.reps_done == 1):
        recorder.on_events(events)
        if any(isinstance(e, SetCompleted) and e.plan and (e.plan.exercise, e.plan.number) == ("Press", 1) for e in events):
            assert workout.change_load(Load(26, Unit.KG)) is None
        now += 0.125
        events = workout.advance(now)
    recorder.on_events(events)
    recorder.save_partial(workout.partial_set(now))
    recorder.close()
    press_done, squat_done = history_json(capsys, db)
    assert [(s["set"], s["load"], s["reps_done"], s["ended"]) for s in squat_done["sets"]] == [(1, 24.0, 2, "completed"), (2, 26.0, 2, "completed")]
    assert [(s["set"], s["load"], s["reps_done"], s["ended"]) for s in press_done["sets"]] == [(1, 30.0, 2, "completed"), (2, 30.0, 1, "cut short")]
    assert {w["routine"] for w in (press_done, squat_done)} == {"upper-lower"}


def test_warmups_come_first_in_their_exercise_and_are_marked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "history.sqlite3"
    plans = block_plans(Block((Exercise(LEG_PRESS, Load(100, Unit.KG), (WarmupSet(10, Load(40, Unit.KG)), WarmupSet(6, Load(70, Unit.KG)))),)))
    recorder = Recorder(LEG_PRESS, db)
    recorder.on_events([finished(n, plan, reps=plan.reps or 0) for n, plan in enumerate(plans, start=1)])
    recorder.close()
    (legs,) = history_json(capsys, db)
    assert [(s["set"], s["warmup"], s["load"], s["reps_done"]) for s in legs["sets"]] == [
        (1, True, 40.0, 10),
        (2, True, 70.0, 6),
        (3, False, 100.0, 12),
        (4, False, 100.0, 12),
    ]


def test_a_tag_never_waits_for_the_database_and_is_kept_in_the_unsaved_file(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    HistoryStore.open(db).close()
    plans = block_plans(Block((Exercise(SQUAT), Exercise(PUSH_UP)), superset=True))
    recorder = Recorder(SQUAT, db, busy_timeout_s=10, retry_s=60)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        result = finished(2, plans[1], reps=20)
        recorder.on_events([finished(1, plans[0]), result])
        time.sleep(0.1)  # the writer now waits for the lock, for up to 10 s
        started = time.perf_counter()
        recorder.tag(result, rir=1, note="easy")
        assert time.perf_counter() - started < 1
        spilled = recorder.close(timeout=1.0)
    finally:
        blocker.execute("COMMIT")
        blocker.close()
    assert spilled is not None and recorder.error is not None
    assert "Goblet squat set 1; Push-up set 1 could not be saved" in recorder.error
    kept = json.loads(spilled.read_text())
    assert [(w["exercise"], [(s["set"], s["rir"], s["note"]) for s in w["sets"]]) for w in kept["workouts"]] == [
        ("Goblet squat", [(1, None, "")]),
        ("Push-up", [(1, 1, "easy")]),
    ]


def test_a_tag_for_a_set_already_saved_is_saved_by_the_next_flush(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "history.sqlite3"
    recorder = Recorder(PUSH_UP, db)
    result = finished(1, None, reps=20)
    recorder.on_events([result])
    assert recorder.flush()
    recorder.tag(result, note="new shoes")
    assert recorder.flush()
    recorder.close()
    (push,) = history_json(capsys, db)
    assert [(s["reps_done"], s["rir"], s["note"]) for s in push["sets"]] == [(20, None, "new shoes")]


def test_a_tag_that_could_not_be_saved_is_retried_without_another_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "history.sqlite3"
    recorder = Recorder(PUSH_UP, db, busy_timeout_s=0.1, retry_s=0.2)
    result = finished(1, None, reps=20)
    recorder.on_events([result])
    assert recorder.flush()
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        recorder.tag(result, rir=3)
        deadline = time.monotonic() + 10
        while recorder.unsaved != [(1, "database is locked")] and time.monotonic() < deadline:
            time.sleep(0.01)
        assert recorder.unsaved == [(1, "database is locked")]
    finally:
        blocker.execute("COMMIT")
        blocker.close()
    deadline = time.monotonic() + 10
    while recorder.unsaved and time.monotonic() < deadline:  # the rest: no set comes to wake the writer
        time.sleep(0.01)
    assert recorder.unsaved == [] and recorder.error is None
    recorder.close()
    assert [s["rir"] for w in history_json(capsys, db) for s in w["sets"]] == [3]


# ---- ended vs cut short -------------------------------------------------------------------------


def test_a_set_ended_with_enter_is_ended_and_one_cut_short_by_a_quit_is_cut_short(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "history.sqlite3"
    plans = block_plans(Block((Exercise(LEG_PRESS),)))
    recorder = Recorder(LEG_PRESS, db)
    recorder.on_events([finished(1, plans[0], reps=9, completed=False)])
    recorder.save_partial(finished(2, plans[1], reps=4, completed=False, cut_short=True))
    recorder.close()
    (legs,) = history_json(capsys, db)
    assert [(s["set"], s["ended"], s["completed"]) for s in legs["sets"]] == [(1, "ended", False), (2, "cut short", False)]


def test_a_set_saved_cut_short_then_ended_keeps_ended(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A quit and Enter in the same instant: the partial set is saved first; the set as the lifter
    ended it (same reps) is the fuller record."""
    db = tmp_path / "history.sqlite3"
    plans = block_plans(Block((Exercise(LEG_PRESS),)))
    with HistoryStore.open(db) as store:
        wid = store.start_workout(LEG_PRESS, DAY)
        store.save_set(wid, finished(1, plans[0], reps=5, completed=False, cut_short=True))
        store.save_set(wid, finished(1, plans[0], reps=5, completed=False))
        store.save_set(wid, finished(1, plans[0], reps=5, completed=False, cut_short=True))  # never back
    (legs,) = history_json(capsys, db)
    assert [s["ended"] for s in legs["sets"]] == ["ended"]


def test_a_unit_or_ending_no_coach_writes_cannot_drive_the_terminal(session_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(session_db)
    with conn:
        conn.execute("UPDATE sets SET unit = 'k\x1b[2Jg,', ended = 'x\x9by' WHERE set_no = 1")
    conn.close()
    for form in ([], ["--csv"], ["--json"]):
        assert cli.main(["history", "--history", str(session_db), *form]) == 0
        out = capsys.readouterr().out
        assert not any(0x7F <= ord(c) <= 0x9F or (ord(c) < 0x20 and c != "\n") for c in out), form
    rows_ = history_csv(capsys, session_db)
    assert {(r["unit"], r["ended"]) for r in rows_ if r["set"] == "1"} == {("k\\x1b[2Jg,", "x\\x9by")}
