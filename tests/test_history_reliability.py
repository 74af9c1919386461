"""The real `tempo-coach run` under tmux: sets already done survive kill -9, SIGHUP and SIGTERM, two
coaches can share one history, and `tempo-coach history --json` shows what a real run did.

Each test starts its own tmux server (`tmux -L <unique socket>`) and kills only that server.
The preset is tiny and fast: 3 reps of 0.5-0-0.5-0 (a 3 s set), rest 1 s, get-ready 0.5 s, so
set 1 ends 3.5 s after the start and set 2 runs from 5.0 s to 8.0 s.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markers import needs_tmux, realtime
from tmux_driver import Tmux, wait_gone

pytestmark = [needs_tmux, realtime]

FAST_PRESET = """\
name: Fast test preset
exercise: Test press
tempo: 0.5-0-0.5-0
sets: 4
reps: 3
rest: 1
get_ready: 0.5
"""
SET_S = 3.0
REST_AND_READY_S = 1.5
STARTUP_TIMEOUT_S = 30.0


@pytest.fixture
def preset(tmp_path: Path) -> Path:
    path = tmp_path / "fast.yaml"
    path.write_text(FAST_PRESET)
    return path


def sets_in(history: Path) -> list[tuple[str, str, int, int, int, int | None, bool]]:
    """(preset, tempo, set, reps_done, reps_target, fallback_rep, completed) for every saved set."""
    if not history.exists():
        return []
    conn = sqlite3.connect(f"file:{history}?mode=ro", uri=True, timeout=10)
    try:
        rows = conn.execute(
            "SELECT w.preset, w.tempo, s.set_no, s.reps_done, s.reps_target, s.fallback_rep, s.completed"
            " FROM sets s JOIN workouts w ON w.id = s.workout_id ORDER BY w.id, s.set_no"
        ).fetchall()
    except sqlite3.OperationalError:  # not created yet
        return []
    finally:
        conn.close()
    return [(*row[:6], bool(row[6])) for row in rows]


def integrity(history: Path) -> str:
    conn = sqlite3.connect(history, timeout=10)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def wait_for_sets(history: Path, count: int, tmux: Tmux, session: str, timeout: float) -> float:
    """Poll the database until `count` sets are in it; returns when (monotonic)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(sets_in(history)) >= count:
            return time.monotonic()
        time.sleep(0.05)
    raise AssertionError(
        f"{count} set(s) never reached {history} within {timeout:.0f} s; history has {sets_in(history)}\n"
        f"--- screen ---\n{tmux.screen(session)}"
    )


def run_until_mid_set_2(tmux: Tmux, history: Path, preset: Path) -> int:
    """Start a coach, wait for set 1 in the database, then to the middle of set 2; returns the pid."""
    pid = tmux.start_coach("coach", history, preset)
    set_1_saved = wait_for_sets(history, 1, tmux, "coach", STARTUP_TIMEOUT_S)
    time.sleep(max(0.0, set_1_saved + REST_AND_READY_S + SET_S / 2 - time.monotonic()))
    assert len(sets_in(history)) == 1, "set 2 ended before the kill: the timing assumption is off"
    return pid


SET_1 = ("fast", "0.5-0-0.5-0", 1, 3, 3, None, True)


def test_kill_9_mid_set_keeps_the_sets_already_done(tmux: Tmux, tmp_path: Path, preset: Path) -> None:
    history = tmp_path / "history.sqlite3"
    pid = run_until_mid_set_2(tmux, history, preset)
    os.kill(pid, signal.SIGKILL)
    assert wait_gone(pid, 10)
    assert sets_in(history) == [SET_1]
    assert integrity(history) == "ok"


@pytest.mark.parametrize("how", ["SIGHUP", "SIGTERM", "closed terminal"])
def test_a_hangup_or_terminate_mid_set_keeps_the_sets_and_saves_the_partial_one(
    tmux: Tmux, tmp_path: Path, preset: Path, how: str
) -> None:
    history = tmp_path / "history.sqlite3"
    pid = run_until_mid_set_2(tmux, history, preset)
    if how == "closed terminal":
        tmux("kill-session", "-t", "coach")  # tmux hangs up on the pane, as a closed terminal window does
    else:
        os.kill(pid, signal.Signals[how])
    assert wait_gone(pid, 10), f"the coach did not exit within 10 s of {how}"
    saved = sets_in(history)
    assert saved[0] == SET_1
    assert len(saved) == 2, f"the set cut short by {how} was not saved: {saved}"
    partial = saved[1]
    assert partial[:3] == ("fast", "0.5-0-0.5-0", 2) and partial[3] < 3 and partial[6] is False
    assert integrity(history) == "ok"


def test_two_coaches_at_once_share_one_history_and_it_shows_in_history_json(
    tmux: Tmux, tmp_path: Path, preset: Path
) -> None:
    history = tmp_path / "history.sqlite3"
    other = tmp_path / "other.yaml"
    other.write_text(FAST_PRESET.replace("Fast test preset", "Other test preset"))
    tmux.start_coach("one", history, preset, "--sets", "2")
    tmux.start_coach("two", history, other, "--sets", "2")
    wait_for_sets(history, 4, tmux, "one", STARTUP_TIMEOUT_S + 2 * SET_S + REST_AND_READY_S)
    time.sleep(0.5)
    assert integrity(history) == "ok"

    out = subprocess.run(
        [sys.executable, "-m", "tempo_coach", "history", "--json", "--history", str(history)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    workouts = json.loads(out)
    assert sorted(w["preset"] for w in workouts) == ["fast", "other"]
    for workout in workouts:
        assert workout["tempo"] == "0.5-0-0.5-0"
        assert workout["sets"] == [
            {"set": n, "reps_done": 3, "reps_target": 3, "tut_s": 3.0, "fallback_rep": None, "completed": True, "ended": "completed",
             "load": None, "unit": None, "bodyweight": False, "warmup": False, "rir": None, "note": ""}
            for n in (1, 2)
        ]
