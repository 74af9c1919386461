"""`tempo-coach progress`: the documented rule after three sessions (each branch), the JSON keys,
a table that fits 80 columns, did-you-mean for a misspelt exercise, and names printed escaped."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tempo_coach.cli import commands as cli

from progress_history import DAY, Row, weeks

THREE_SESSIONS = {
    "add": ([[Row(10)], [Row(11)], [Row(12, fallback=9), Row(12)]], 102.5),
    "keep": ([[Row(12)], [Row(12)], [Row(12, fallback=5), Row(12)]], 100.0),  # leg-press's after_rep is 8
    "drop": ([[Row(12)], [Row(9), Row(8)], [Row(8), Row(8)]], 97.5),
}


def progress(capsys: pytest.CaptureFixture[str], path: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["progress", "--history", str(path), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("change", THREE_SESSIONS)
def test_three_sessions_give_the_documented_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str) -> None:
    history, load = THREE_SESSIONS[change]
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", history)
    code, out, _ = progress(capsys, path, "Leg press", "--json")
    assert code == 0
    [exercise] = json.loads(out)
    assert exercise["suggestion"]["change"] == change
    assert (exercise["suggestion"]["load"], exercise["suggestion"]["unit"]) == (load, "kg")


def test_the_json_has_the_documented_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(10, load=40.0, warmup=True), Row(12, fallback=10), Row(10, load=95.0), Row(2, ended="cut short")]])
    weeks(path, "Push-up", [[Row(20, load=0.0, bodyweight=True, target=None)]], preset="push-up", first=DAY + timedelta(hours=1))
    code, out, err = progress(capsys, path, "--json")
    assert (code, err) == (0, "")
    push_up, leg_press = json.loads(out)  # the most recently done first
    assert leg_press["exercise"] == "Leg press"
    assert leg_press["sessions"] == [{
        "date": "2026-11-02", "top_load": 100.0, "unit": "kg", "bodyweight": False, "reps": [12, 10],
        "fallback_reps": [10, None], "volume": 2150.0, "estimated_1rm": 140.0,
    }]
    assert set(leg_press["suggestion"]) == {"load", "unit", "bodyweight", "change", "reason"}
    assert push_up["sessions"][0]["volume"] is None and push_up["sessions"][0]["estimated_1rm"] is None
    assert push_up["suggestion"]["bodyweight"] is True and push_up["suggestion"]["change"] == "keep"


def test_the_table_fits_80_columns_and_shows_the_latest_sessions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(12, fallback=9)] * 5 for _ in range(12)])
    code, out, _ = progress(capsys, path)
    lines = out.splitlines()
    assert code == 0 and max(map(len, lines)) <= 80
    assert lines[0] == "Leg press  (leg-press)"
    assert lines[1].split() == ["DATE", "TOP", "LOAD", "REPS", "(FALLBACK", "FROM", "REP)", "VOLUME", "E1RM", "(EST.)"]
    assert lines[2].split() == ["2027-01-18", "100", "kg", "12(9)", "12(9)", "12(9)", "12(9)", "12(9)", "6,000", "140.0"]
    assert len(lines) == 2 + 10 + 1 + 2  # the newest 10 sessions, a note, and next time's (wrapped) line
    assert "(the latest 10 sessions; --json has every one)" in lines
    advice = " ".join(" ".join(lines[-2:]).split())
    assert advice == "next time: Add 2.5 kg (102.5 kg): every set reached its 12 reps with the slow positive held to rep 8."


def test_a_misspelt_exercise_gets_did_you_mean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(12)]])
    code, out, err = progress(capsys, path, "leg pres")
    assert (code, out) == (2, "")
    assert err == "tempo-coach: error: no exercise 'leg pres' in the history; did you mean 'Leg press'? (exercises: Leg press)\n"


def test_a_preset_name_finds_its_exercise(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(12)]])
    code, out, _ = progress(capsys, path, "leg-press", "--json")
    assert code == 0 and json.loads(out)[0]["exercise"] == "Leg press"


def test_an_exercise_is_found_in_any_case_and_width_and_a_long_name_is_cut_short(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(12)]])
    for name in ("LEG PRESS", " leg press ", "ＬＥＧ press"):
        code, out, _ = progress(capsys, path, name, "--json")
        assert code == 0 and json.loads(out)[0]["exercise"] == "Leg press"
    code, _, err = progress(capsys, path, "x" * 5000)
    assert code == 2 and len(err) < 200
    assert progress(capsys, path, "")[0] == 2  # an empty name is not every exercise


def test_no_history_yet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "none.sqlite3"
    assert progress(capsys, path, "--json")[:2] == (0, "[]\n")
    code, out, err = progress(capsys, path, "squat")
    assert (code, out) == (2, "") and "no exercise 'squat'" in err
    assert not path.exists()  # read-only: nothing created


def test_names_from_the_history_are_printed_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Squat\x1b[2J\x9b", [[Row(12)]], preset="evil\x07")
    code, out, _ = progress(capsys, path)
    assert code == 0 and "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert out.startswith("Squat\\x1b[2J\\x9b  (evil\\x07)\n")
    code, out, _ = progress(capsys, path, "--json")
    assert out.isascii() and json.loads(out)[0]["exercise"] == "Squat\x1b[2J\x9b"


def test_a_preset_that_is_gone_leaves_the_rule_without_a_tempo_signal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(12, fallback=5), Row(12)]], preset="deleted-preset")
    code, out, _ = progress(capsys, path, "--json")
    assert json.loads(out)[0]["suggestion"]["change"] == "add"
