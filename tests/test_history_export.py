"""`tempo-coach history` prints every kind of set exactly as it did before its speed-ups: the
table, `--csv` and `--json` of one history are compared byte for byte with files committed from
the release before (tests/fixtures/history_export/). The history holds what a coach writes (loads
in kg and lb, bodyweight plus, minus and alone, warm-ups, RIR 0-4 and none, notes, routines, ended
and cut-short sets, AMRAP sets, sets without a load) and what it never writes (units, endings and
text with commas, quotes, newlines, escape sequences, DEL and C1 characters, other scripts)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tempo_coach.cli import commands as cli
from tempo_coach.history import HistoryStore

EXPECTED = Path(__file__).parent / "fixtures" / "history_export"
FORMS = {"table.txt": [], "sets.csv": ["--csv"], "workouts.json": ["--json"]}

WORKOUTS = (  # id, started_at, preset, name, exercise, routine, tempo, sets_planned, reps_target
    (1, "2026-11-18T17:30:00.000+00:00", "leg-press", "Leg press", "Leg press", "leg-day", "2-1-2-1", 3, 12),
    (2, "2026-11-19T06:05:09.250+00:00", "push-up", "Push-up", "Push-up", "", "2-0-1-1", 4, None),
    (3, "2026-11-20T23:59:59.999+00:00", "evil\x1b[2J\x9b31m", 'Name, "quoted"', "Ex\ter\x7fcise é ☃", "rou,tine\n", "3,1\x07", 2, 8),
    (4, "2026-11-21T08:00:00.000+00:00", "a-preset-longer-than-any-other", "", "", "", "10-10-10-10", 3, 12),  # no sets: no width
    (12345, "2026-11-22T18:45:00.000+00:00", "goblet-squat", "Goblet squat", "Goblet squat", "", "31X0", 1, 10),
)
SETS = (  # workout_id, set_no, reps_done, reps_target, tut_s, fallback_rep, ended, load, unit, bodyweight, warmup, rir, note
    (1, 1, 10, 10, 40.0, None, "completed", 40.0, "kg", 0, 1, None, ""),
    (1, 2, 12, 12, 72.0, 9, "completed", 100.0, "kg", 0, 0, 2, ""),
    (1, 3, 10, 12, 60.5, 7, "ended", 102.5, "kg", 0, 0, None, 'felt "heavy", ok'),
    (1, 4, 3, 12, 18.25, None, "cut short", 102.5, "kg", 0, 0, 4, "knee\nhurt\x1b[2J"),
    (2, 1, 20, None, 80.0, None, "completed", 0.0, "kg", 1, 0, 0, ""),
    (2, 2, 15, None, 61.125, 12, "completed", 10.0, "kg", 1, 0, 1, "é ünïcode ☃"),
    (2, 3, 8, None, 33.0, None, "ended", -20.0, "lb", 1, 0, 3, "del\x7f c1\x9b tab\t"),
    (2, 4, 0, None, 0.0, None, "cut short", None, None, 0, 0, None, ""),
    (3, 1, 8, 8, 33.33333333, 8, "abandoned", 1e-3, "stone", 0, 0, None, ",\"\r\n"),
    (3, 2, 5, 8, 1234.5678, 2, "completed", 123456.789, "lb", 0, 1, 4, "'single' [b]markup[/b]"),
    (12345, 1, 10, 10, 9.999, None, "completed", 16.0, "lb\x1b", 1, 0, None, ""),
)


def build(path: Path) -> None:
    """The history above, written as it is (a coach never writes some of it)."""
    with HistoryStore.open(path) as store, store.transaction() as conn:
        conn.executemany(
            "INSERT INTO workouts (id, started_at, preset, name, exercise, routine, tempo, sets_planned, reps_target)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            WORKOUTS,
        )
        conn.executemany(
            "INSERT INTO sets (workout_id, set_no, reps_done, reps_target, tut_s, fallback_rep, ended, load, unit,"
            " bodyweight, warmup, rir, note, completed, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row, int(row[6] == "completed"), "2026-11-18T17:40:00.000+00:00") for row in SETS],
        )


def printed(path: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert cli.main(["history", "--history", str(path), *argv]) == 0
    return capsys.readouterr().out


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The table's times are local: make local time UTC, as when the expected files were made."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("name", FORMS)
def test_every_kind_of_set_prints_as_before(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], utc: None) -> None:
    build(tmp_path / "history.sqlite3")
    expected = (EXPECTED / name).read_bytes().decode("utf-8")
    assert printed(tmp_path / "history.sqlite3", capsys, *FORMS[name]) == expected


@pytest.mark.parametrize("name", FORMS)
def test_a_chosen_few_print_as_before(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], utc: None) -> None:
    """--preset and --limit choose whole workouts; the table's name columns fit only those."""
    build(tmp_path / "history.sqlite3")
    expected = (EXPECTED / f"limited-{name}").read_bytes().decode("utf-8")
    assert printed(tmp_path / "history.sqlite3", capsys, *FORMS[name], "--preset", "leg-press", "--limit", "1") == expected
