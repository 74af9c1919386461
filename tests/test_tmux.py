"""The real `tempo-coach run` in a real terminal (tmux): the lifter sees the phases advance."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

from markers import needs_tmux, realtime

pytestmark = [needs_tmux, realtime]

TEMPO_COACH = Path(sys.executable).with_name("tempo-coach")


def screen(tmux: list[str]) -> str:
    return subprocess.run([*tmux, "capture-pane", "-p", "-t", "coach"], capture_output=True, text=True, check=True).stdout


def wait_for(tmux: list[str], text: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(tmux)
        if text in shown:
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} did not appear within {timeout} s; the screen shows:\n{shown}")


def test_real_terminal_shows_the_phases_advance(tmp_path: Path) -> None:
    tmux = ["tmux", "-L", f"tempo-coach-test-{uuid.uuid4().hex[:8]}"]
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "TEMPO_COACH_HISTORY": str(tmp_path / "h.sqlite3"), "TERM": "xterm-256color"}
    command = f"env -u COLUMNS -u LINES {TEMPO_COACH} run leg-press --mute --sets 1 --reps 99 --get-ready 2"
    subprocess.run([*tmux, "new-session", "-d", "-s", "coach", "-x", "80", "-y", "24", command], env=env, check=True)
    try:
        first = wait_for(tmux, "GET READY", 15)
        assert "Set 1/1" in first
        seen = [wait_for(tmux, name, 6) for name in ("NEGATIVE", "BOTTOM HOLD", "POSITIVE", "TOP HOLD")]
        assert "Tempo [2]-1-2-1" in seen[0] and "Tempo 2-1-[2]-1" in seen[2]
        wait_for(tmux, "TUT 0:06", 4)  # the second rep
        subprocess.run([*tmux, "send-keys", "-t", "coach", "Enter"], check=True)
        summary = wait_for(tmux, "n: back to the start screen", 5)
        assert "ended" in summary and re.search(r"\b\d+ reps?\b", summary)  # Enter ends a set on purpose
        subprocess.run([*tmux, "send-keys", "-t", "coach", "q"], check=True)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and subprocess.run([*tmux, "has-session", "-t", "coach"], capture_output=True).returncode == 0:
            time.sleep(0.1)
        assert subprocess.run([*tmux, "has-session", "-t", "coach"], capture_output=True).returncode != 0, "q did not quit"
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
