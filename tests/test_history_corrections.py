"""Putting a wrong entry right from the command line (`history delete`, `history edit`), never asking;
and filters that say "did you mean" for a name that is almost one in the history."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tempo_coach.cli import commands as cli
from tempo_coach.core.events import SetCompleted
from tempo_coach.core.load import Load, Unit
from tempo_coach.core.model import Preset
from tempo_coach.core.routine import Block, Exercise, WarmupSet, block_plans
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.history import HistoryStore

LEG_PRESS = Preset(id="leg-press", tempo=parse_tempo("2-1-2-1"), name="Leg press", exercise="Leg press", sets=2, reps=12)
PUSH_UP = Preset(id="push-up", tempo=parse_tempo("2-0-1-1"), exercise="Push-up", sets=1, reps=None)
NOW = datetime.now().astimezone()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Workout 1: leg press, a warm-up at 40 kg then two sets at 100 kg, yesterday. Workout 2:
    push-ups with no load, now."""
    path = tmp_path / "history.sqlite3"
    plans = block_plans(Block((Exercise(LEG_PRESS, Load(100, Unit.KG), (WarmupSet(10, Load(40, Unit.KG)),)),)))
    with HistoryStore.open(path) as store:
        legs = store.start_workout(LEG_PRESS, NOW - timedelta(days=1))
        for n, plan in enumerate(plans, start=1):
            store.save_set(legs, SetCompleted(n, 12, plan.reps, 72.0, None, True, float(n), plan=plan))
        push = store.start_workout(PUSH_UP, NOW)
        store.save_set(push, SetCompleted(1, 20, None, 60.0, None, True, 1.0))
    assert (legs, push) == (1, 2)
    return path


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(["history", *argv, "--history", str(db)])
    except SystemExit as exit_:
        code = int(str(exit_.code))
    out = capsys.readouterr()
    return code, out.out, out.err


def sets_of(capsys: pytest.CaptureFixture[str], db: Path) -> dict[int, list[tuple[object, ...]]]:
    code, out, _ = run(capsys, db, "--json")
    assert code == 0
    return {w["id"]: [(s["set"], s["load"], s["unit"], s["reps_done"]) for s in w["sets"]] for w in json.loads(out)}


# ---- delete ------------------------------------------------------------------------------------


def test_delete_a_workout_by_the_id_the_table_shows(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = run(capsys, db)[1].splitlines()
    assert [line.split()[0] for line in table[1:-1] if "leg-press" in line] == ["1"]
    code, out, err = run(capsys, db, "delete", "1")
    assert (code, err) == (0, "")
    assert out.startswith("deleted workout 1 (Leg press, ") and out.endswith(") and its 3 sets\n")
    assert list(sets_of(capsys, db)) == [2]


def test_delete_one_set(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, db, "delete", "1", "--set", "2")
    assert code == 0 and out.startswith("deleted set 2 (12 reps) of workout 1 ")
    assert [s[0] for s in sets_of(capsys, db)[1]] == [1, 3]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("delete", "9"), "no workout 9 in "),
        (("delete", "1", "--set", "7"), "workout 1 has no set 7 (its sets: 1, 2, 3)"),
        (("edit", "9", "--load", "100"), "no workout 9 in "),
        (("edit", "1", "--set", "7", "--reps", "3"), "workout 1 has no set 7 (its sets: 1, 2, 3)"),
    ],
)
def test_an_unknown_workout_or_set_is_one_line_and_exit_1(db: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str) -> None:
    before = sets_of(capsys, db)
    code, out, err = run(capsys, db, *argv)
    assert (code, out) == (1, "")
    assert err.startswith("tempo-coach: error: history: ") and message in err and err.count("\n") == 1
    assert sets_of(capsys, db) == before


def test_corrections_never_create_a_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.sqlite3"
    code, _, err = run(capsys, missing, "delete", "1")
    assert code == 1 and "no workout history yet" in err and not missing.exists()


# ---- edit --------------------------------------------------------------------------------------


def test_edit_load_without_set_changes_every_working_set_not_the_warmup(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, db, "edit", "1", "--load", "102.5")
    assert code == 0
    assert out.splitlines()[1:] == ["  set 2: load 100 kg -> 102.5 kg", "  set 3: load 100 kg -> 102.5 kg"]
    assert sets_of(capsys, db)[1] == [(1, 40.0, "kg", 12), (2, 102.5, "kg", 12), (3, 102.5, "kg", 12)]


def test_edit_one_sets_load_and_reps(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, db, "edit", "1", "--set", "3", "--load", "225 lb", "--reps", "10")
    assert code == 0 and out.splitlines()[1:] == ["  set 3: load 100 kg -> 225 lb, reps 12 -> 10"]
    assert sets_of(capsys, db)[1][2] == (3, 225.0, "lb", 10)


def test_edit_unit_alone_relabels_the_loads(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, db, "edit", "1", "--unit", "lb")[0] == 0
    assert sets_of(capsys, db)[1] == [(1, 40.0, "kg", 12), (2, 100.0, "lb", 12), (3, 100.0, "lb", 12)]


def test_edit_a_set_with_no_load_gives_it_one(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, db, "edit", "2", "--set", "1", "--load", "bw+10")
    assert code == 0 and out.splitlines()[1:] == ["  set 1: load none -> bodyweight + 10 kg"]
    code, out, _ = run(capsys, db, "edit", "2", "--set", "1", "--load", "bw+10")
    assert code == 0 and out.endswith(": nothing changed (it was so already)\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("edit", "1", "--reps", "10"), "--reps needs --set"),
        (("edit", "1"), "nothing to change"),
        (("edit", "1", "--load", "heavy"), "argument --load: 'heavy' is not a load"),
        (("edit", "1", "--load", "100 stone"), "argument --load: unit 'stone' is not kg or lb"),
        (("edit", "1", "--unit", "kgs"), "argument --unit: 'kgs' is not a unit"),
        (("edit", "1", "--set", "2", "--reps", "-1"), "argument --reps"),
        (("edit", "x1", "--load", "100"), "argument ID: 'x1' is not a workout ID"),
        (("delete", "9" * 400), "argument ID: a 400-character value"),
    ],
)
def test_a_wrong_correction_is_one_line_and_exit_2(db: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str) -> None:
    before = sets_of(capsys, db)
    code, out, err = run(capsys, db, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("tempo-coach history") and message in err and err.count("\n") == 1, err
    assert sets_of(capsys, db) == before


# ---- filters and did-you-mean -------------------------------------------------------------------


def test_a_misspelt_preset_gets_did_you_mean(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, db, "--preset", "leg-pres")
    assert (code, out) == (2, "")
    assert err == "tempo-coach history: error: no workouts of preset 'leg-pres'; did you mean 'leg-press'?\n"


def test_exercise_matches_in_any_case_and_a_misspelt_one_gets_did_you_mean(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert list(sets_of(capsys, db)) == [2, 1]
    code, out, _ = run(capsys, db, "--json", "--exercise", "LEG press")
    assert code == 0 and [w["id"] for w in json.loads(out)] == [1]
    code, out, err = run(capsys, db, "--exercise", "leg pres", "--csv")
    assert (code, out) == (2, "")
    assert err == "tempo-coach history: error: no workouts of exercise 'leg pres'; did you mean 'Leg press'?\n"


def test_a_name_like_nothing_in_the_history_just_matches_nothing(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, db, "--exercise", "deadlift\x1b[2J") == (0, "no workouts match --exercise deadlift\\x1b[2J\n", "")
    assert run(capsys, db, "--json", "--preset", "zzz") == (0, "[]\n", "")


def test_since_today_shows_only_todays_workouts(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if NOW.hour == 0 and NOW.minute < 5:
        pytest.skip("too close to midnight to tell today from yesterday")
    code, out, _ = run(capsys, db, "--json", "--since", "today")
    assert code == 0 and [w["preset"] for w in json.loads(out)] == ["push-up"]
    code, out, _ = run(capsys, db, "--json", "--since", "2d")
    assert code == 0 and [w["preset"] for w in json.loads(out)] == ["push-up", "leg-press"]
