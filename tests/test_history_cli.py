"""`tempo-coach history` arguments and output: limits and dates that are out of range are one error
line (exit 2), names from the database cannot drive the terminal, and the streamed output matches
the history row for row."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tempo_coach.cli import commands as cli
from tempo_coach.cli.history import parse_since
from tempo_coach.core.events import SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.history import HistoryStore

DAY = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)
EVIL = Preset(id="evil\x1b[2J\x9b31m", tempo=parse_tempo("2-1-2-1"), name="N\x07", exercise="E\x1b]0;t\x07", sets=2, reps=12)
PLAIN = Preset(id="plain", tempo=parse_tempo("2-0-1-1"), sets=3, reps=None)


def a_set(n: int, reps: int = 12) -> SetCompleted:
    return SetCompleted(set=n, reps_done=reps, reps_target=12, tut=reps * 6.0, fallback_rep=None, completed=True, at=float(n))


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Workouts every day for 10 days, alternating presets (the preset names hold escape
    sequences), and a newer workout with no sets."""
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path) as store:
        for day in range(10):
            preset = EVIL if day % 2 else PLAIN
            wid = store.start_workout(preset, DAY + timedelta(days=day))
            for n in range(1, preset.sets + 1):
                store.save_set(wid, a_set(n, reps=day + n))
        store.start_workout(PLAIN, DAY + timedelta(days=20))  # no sets: shown nowhere
    return path


def run(capsys: pytest.CaptureFixture[str], history: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["history", "--history", str(history), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def refused(capsys: pytest.CaptureFixture[str], history: Path, *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        run(capsys, history, *argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("tempo-coach history: error: argument ") and err.count("\n") == 1
    return err


# ---- arguments --------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["99999999999999999999", "9" * 400, "-1", "1.5", "ten", "", "0x10"])
def test_a_bad_limit_is_one_error_line(history: Path, capsys: pytest.CaptureFixture[str], limit: str) -> None:
    assert "--limit" in refused(capsys, history, "--limit", limit)


def test_limit_zero_means_all(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert len(json.loads(run(capsys, history, "--json", "--limit", "0")[1])) == 10
    assert [w["started_at"][:10] for w in json.loads(run(capsys, history, "--json", "--limit", "2")[1])] == ["2026-11-29", "2026-11-28"]


@pytest.mark.parametrize("since", ["999999d", "99999999999999999999d", "9999999w", "9999y", "1" * 500 + "h"])
def test_an_age_before_the_calendar_is_one_error_line(history: Path, capsys: pytest.CaptureFixture[str], since: str) -> None:
    assert "--since" in refused(capsys, history, "--since", since)


def test_since_accepts_today_hours_and_years() -> None:
    now = datetime(2026, 11, 25, 15, 40).astimezone()
    assert parse_since("today", now) == now.replace(hour=0, minute=0, second=0, microsecond=0)
    assert parse_since("12h", now) == now - timedelta(hours=12)
    assert parse_since("1y", now) == now - timedelta(days=365)
    assert parse_since("2W", now) == now - timedelta(days=14)


def test_a_bad_since_names_what_it_accepts(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, history, "--since", "last \x1b[2Jtuesday")
    assert "\x1b" not in err and "today" in err and "12h" in err


# ---- names from the database cannot drive the terminal ------------------------------------------


def test_the_table_escapes_control_characters_in_names(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, history)[1]
    assert "\x1b" not in out and "\x9b" not in out
    assert "evil\\x1b[2J\\x9b31m" in out


def test_the_csv_escapes_control_characters_in_names(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, history, "--csv")[1]
    assert "\x1b" not in out and "\x9b" not in out
    assert {row["preset"] for row in csv.DictReader(io.StringIO(out))} == {"plain", "evil\\x1b[2J\\x9b31m"}


def test_the_json_escapes_every_control_character_and_keeps_the_name(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, history, "--json")[1]
    assert not any(0x7F <= ord(c) <= 0x9F or (ord(c) < 0x20 and c != "\n") for c in out)
    workouts = json.loads(out)
    assert {w["preset"] for w in workouts} == {"plain", EVIL.id}
    assert {w["exercise"] for w in workouts} == {"plain", EVIL.exercise}  # no exercise: the preset names it


def test_no_match_echoes_the_preset_escaped(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, history, "--preset", "x\x1b[31m")[1]
    assert out == "no workouts match --preset x\\x1b[31m\n"


# ---- the streamed output is the whole history, newest first --------------------------------------


def test_every_form_lists_every_set_newest_workout_first(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workouts = json.loads(run(capsys, history, "--json")[1])
    assert [w["started_at"][:10] for w in workouts] == [f"2026-11-{day}" for day in range(29, 19, -1)]
    assert [len(w["sets"]) for w in workouts] == [2, 3] * 5
    rows = list(csv.DictReader(io.StringIO(run(capsys, history, "--csv")[1])))
    assert [(r["started_at"][:10], r["set"], r["reps_done"]) for r in rows] == [
        (w["started_at"][:10], str(s["set"]), str(s["reps_done"])) for w in workouts for s in w["sets"]
    ]
    lines = run(capsys, history)[1].splitlines()
    assert len(lines) == 1 + 25 + 1 and lines[-1] == "10 workouts, 25 sets"
    local_days = [f"{datetime.fromisoformat(w['started_at']).astimezone():%Y-%m-%d}" for w in workouts]
    assert [line.split()[1] for line in lines[1:-1] if re.match(r" *[0-9]+  [0-9]{4}-", line)] == local_days
    assert len({len(line) for line in lines[1:-1]}) == 1  # aligned columns


# ---- the documented forms ------------------------------------------------------------------------

LEG_PRESS = Preset(id="leg-press", tempo=parse_tempo("2-1-2-1"), name="Leg press", exercise="Leg press", sets=3, reps=12)
PUSH_UP = Preset(id="push-up", tempo=parse_tempo("2-0-1-1"), exercise="Push-up", sets=2, reps=None)


def done(n: int, reps: int = 12, target: int | None = 12, fallback: int | None = None, completed: bool = True) -> SetCompleted:
    return SetCompleted(set=n, reps_done=reps, reps_target=target, tut=reps * 6.0, fallback_rep=fallback, completed=completed, at=100.0 * n)


def workout(store: HistoryStore, preset: Preset, started: datetime, *sets: SetCompleted) -> int:
    wid = store.start_workout(preset, started)
    for s in sets:
        store.save_set(wid, s)
    return wid


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


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
    no_load = {"load": None, "unit": None, "bodyweight": False, "warmup": False, "rir": None, "note": ""}
    assert legs["sets"] == [
        {"set": 1, "reps_done": 12, "reps_target": 12, "tut_s": 72.0, "fallback_rep": 9, "completed": True, "ended": "completed", **no_load},
        {"set": 2, "reps_done": 10, "reps_target": 12, "tut_s": 60.0, "fallback_rep": 7, "completed": False, "ended": "ended", **no_load},
    ]
    assert workouts[0]["sets"][0]["reps_target"] is None


def test_history_csv_is_one_row_per_set(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli(capsys, "history", "--csv"))))
    assert list(rows[0].keys()) == [
        *("started_at", "preset", "tempo", "set", "reps_done", "reps_target", "tut_s", "fallback_rep", "completed"),  # as before loads
        *("ended", "load", "unit", "bodyweight", "warmup", "rir", "note", "id", "routine", "exercise"),
    ]
    assert [(r["preset"], r["set"], r["reps_done"], r["reps_target"], r["fallback_rep"], r["completed"]) for r in rows] == [
        ("push-up", "1", "25", "", "", "true"),
        ("leg-press", "1", "12", "12", "9", "true"),
        ("leg-press", "2", "10", "12", "7", "false"),
    ]


def test_history_table_is_newest_first_and_marks_ended_sets(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = run_cli(capsys, "history").splitlines()
    assert lines[0].split() == ["ID", "STARTED", "PRESET", "TEMPO", "SET", "LOAD", "REPS", "TUT", "FALLBACK"]
    assert "push-up" in lines[1] and "leg-press" in lines[2]
    assert lines[2].split()[-6:] == ["-", "12/12", "72.0", "s", "rep", "9"]
    assert lines[3].split() == ["2", "-", "10/12", "60.0", "s", "rep", "7", "ended"]
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
