"""A short routine run for real in tmux with --load, then found in `history --json` and `progress --json`."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_cli
from markers import needs_tmux, realtime
from tmux_driver import Tmux, wait_gone

pytestmark = [needs_tmux, realtime]

ROUTINE = """\
name: Quick check
exercises:
  - preset: leg-press
    sets: 1
    reps: 2
    tempo: 1-0-1-0
    rest_after: 2
  - preset: push-up
    sets: 1
    reps: 2
    tempo: 1-0-1-0
"""


def test_a_routine_with_a_load_lands_in_history_and_progress(tmux: Tmux, tmp_path: Path) -> None:
    folder = tmp_path / "config" / "tempo-coach" / "presets"
    folder.mkdir(parents=True)
    (folder / "quick-check.yaml").write_text(ROUTINE)
    history = tmp_path / "history.sqlite3"
    pid = tmux.start_coach("coach", history, "quick-check", "--load", "102.5", size=(80, 24))
    tmux.wait_for("GET READY")
    tmux("send-keys", "-t", "coach", "s")  # skip the leg press's 10 s get-ready
    summary = tmux.wait_for("Next: Push-up", timeout=15)
    assert "102.5 kg" in summary and "completed" in summary
    tmux.wait_for("GET READY", timeout=10)  # the 2 s rest_after ran out by itself: the push-up's countdown
    tmux("send-keys", "-t", "coach", "s")
    tmux.wait_for("back to the start screen", timeout=15)
    tmux("send-keys", "-t", "coach", "q")
    assert wait_gone(pid, 10), tmux.screen("coach")

    shown = run_cli("history", "--json", "--history", str(history))
    assert shown.returncode == 0, shown.stderr
    workouts = {w["exercise"]: w for w in json.loads(shown.stdout)}
    assert set(workouts) == {"Leg press", "Push-up"}
    assert all(w["routine"] == "quick-check" for w in workouts.values())
    [press] = workouts["Leg press"]["sets"]
    assert (press["load"], press["unit"], press["reps_done"], press["ended"]) == (102.5, "kg", 2, "completed")

    progress = run_cli("progress", "leg press", "--json", "--history", str(history))
    assert progress.returncode == 0, progress.stderr
    [leg_press] = json.loads(progress.stdout)
    [session] = leg_press["sessions"]
    assert (session["top_load"], session["unit"], session["reps"]) == (102.5, "kg", [2])
    suggestion = leg_press["suggestion"]  # 2 of 2 reps, the slow positive held all the way: one increment more
    assert (suggestion["change"], suggestion["load"], suggestion["unit"]) == ("add", 105.0, "kg")
