"""Whatever state the coach is in, SIGHUP (a closed terminal) and SIGTERM end it within 2 s."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from markers import needs_tmux, realtime
from tmux_driver import Tmux, alive, wait_gone

pytestmark = [needs_tmux, realtime]

PRESET = "tempo: 1-0-1-0\nsets: 2\nreps: 20\nrest: 5\nget_ready: 1\n"
STARTUP_TIMEOUT_S = 30.0
ENDS_WITHIN_S = 2.0


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ((), "NEGATIVE"),  # mid-set
        (("q",), "End the workout now?"),  # the quit dialog open
        (("?",), "hands-free"),  # help open
        (("space",), "PAUSED"),
    ],
    ids=["mid-set", "quit dialog", "help", "paused"],
)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_an_exit_signal_ends_the_coach_in_any_state(tmux: Tmux, tmp_path: Path, keys: tuple[str, ...], shown: str, signum: int) -> None:
    preset = tmp_path / "p.yaml"
    preset.write_text(PRESET)
    pid = tmux.start_coach("coach", tmp_path / "h.sqlite3", preset)
    tmux.wait_for("NEGATIVE")
    for key in keys:
        tmux("send-keys", "-t", "coach", key)
    tmux.wait_for(shown)
    os.kill(pid, signum)
    assert wait_gone(pid, ENDS_WITHIN_S), f"still running {ENDS_WITHIN_S} s after {signal.Signals(signum).name}"


def test_closing_the_terminal_as_the_first_frame_appears_never_leaves_a_process(tmux: Tmux, tmp_path: Path) -> None:
    """It used to leave an orphan that ignored SIGTERM about one start in five."""
    for attempt in range(5):
        name = f"coach{attempt}"
        pid = tmux.start_coach(name, tmp_path / "h.sqlite3", None)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not tmux.screen(name).strip():
            assert time.monotonic() < deadline, "no first frame"
            time.sleep(0.005)
        tmux("kill-session", "-t", name)  # the terminal goes away: SIGHUP
        assert wait_gone(pid, ENDS_WITHIN_S), f"attempt {attempt}: still running after the terminal closed"
        assert not alive(pid)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_cue_log_on_a_full_disk_is_a_notice_the_workout_goes_on_and_signals_still_work(tmux: Tmux, tmp_path: Path, signum: int) -> None:
    """It used to kill the cue thread silently: the screen froze, and the process then ignored SIGTERM."""
    preset = tmp_path / "p.yaml"
    preset.write_text(PRESET)
    pid = tmux.start_coach("coach", tmp_path / "h.sqlite3", preset, "--cue-log", "/dev/full")
    tmux.wait_for("cue log could not be written")
    tmux.wait_for("POSITIVE")  # the workout goes on
    os.kill(pid, signum)
    assert wait_gone(pid, ENDS_WITHIN_S), f"still running {ENDS_WITHIN_S} s after {signal.Signals(signum).name}"
