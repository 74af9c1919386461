"""Whatever state the coach is in, SIGHUP (a closed terminal) and SIGTERM end it within 2 s; and
however it ends, it leaves the terminal as it found it."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest
from markers import needs_tmux, realtime
from tmux_driver import EXITED, Tmux, alive, wait_gone

pytestmark = [needs_tmux, realtime]

PRESET = "tempo: 1-0-1-0\nsets: 2\nreps: 20\nrest: 5\nget_ready: 1\n"
STARTUP_TIMEOUT_S = 30.0
ENDS_WITHIN_S = 2.0
LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
PRIVATE_MODE = re.compile(rb"\x1b\[\?[0-9]+[hl]")
"""The terminal modes Textual turns off after leaving the alternate screen (cursor, focus, mouse)."""


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


@pytest.mark.parametrize("stop", ["C-c", signal.SIGTERM, signal.SIGHUP], ids=["Ctrl+C", "SIGTERM", "SIGHUP"])
def test_after_an_exit_mid_set_the_normal_screen_holds_nothing_of_the_coach(tmux: Tmux, tmp_path: Path, stop: str | int) -> None:
    """The phase bar's row, in colour, used to be written onto the shell's screen after the coach
    had left the alternate screen (issue 16, item 7). The pane shows the normal screen once the
    coach has gone; the recording shows every byte it wrote, the invisible ones too."""
    preset = tmp_path / "p.yaml"
    preset.write_text(PRESET)
    recording = tmp_path / "terminal.out"
    pid = tmux.start_coach_recorded("coach", tmp_path / "h.sqlite3", preset, recording)
    tmux.wait_for("NEGATIVE")
    if isinstance(stop, str):
        tmux("send-keys", "-t", "coach", stop)
    else:
        os.kill(pid, stop)
    tmux.wait_for(EXITED, timeout=ENDS_WITHIN_S + 1)
    normal_screen = tmux("capture-pane", "-p", "-e", "-t", "coach")  # -e: colours as escape codes
    assert normal_screen.split() == [EXITED], f"the coach left this on the normal screen:\n{normal_screen!r}"
    written = recording.read_bytes().split(b"\nScript done")[0]  # script's own closing line
    assert LEAVE_ALTERNATE_SCREEN in written
    after_leaving = written.rsplit(LEAVE_ALTERNATE_SCREEN, 1)[1]
    assert PRIVATE_MODE.sub(b"", after_leaving) == b"", f"written after leaving the alternate screen: {after_leaving!r}"
