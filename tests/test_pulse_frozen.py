"""A sound server that stops answering never stops the coach: a real PulseAudio (started by the
test, as in test_pulse_onsets.py) frozen with SIGSTOP mid-rest, or before the sound opens. The
countdown keeps moving, the coach says the sound stopped and goes on with the bell, and SIGTERM
still ends it within 2 s."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from markers import needs_tmux
from test_pulse_onsets import MISSING, pulse
from tmux_driver import Tmux, wait_gone

pytestmark = [needs_tmux, pytest.mark.realtime, pytest.mark.skipif(bool(MISSING) and not os.environ.get("CI"), reason=f"needs {', '.join(MISSING)}")]

PRESET = "tempo: 1-0-1-0\nsets: 2\nreps: 1\nrest: 40\nget_ready: 2\nvoice: off\n"
ENDS_WITHIN_S = 2.0
GIVEN_UP_WITHIN_S = 1.6
"""The stream stalls after 0.5 s without a callback; the rest screen looks at the sound at least
once a second (its countdown's redraw); the bell takes over at that look."""
CLIENT_KEYS = ("PULSE_SERVER", "PULSE_SINK", "HOME", "XDG_DATA_HOME")


@contextmanager
def frozen(server: object) -> Iterator[None]:
    """The test's own PulseAudio (the one whose command line names its socket) stopped (SIGSTOP)
    for the duration, then let go."""
    socket = server.env["PULSE_SERVER"].removeprefix("unix:")  # type: ignore[attr-defined]
    found = subprocess.run(["pgrep", "-x", "pulseaudio"], capture_output=True, text=True).stdout.split()
    pids = [int(p) for p in found if socket in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")]
    assert pids, "the test's PulseAudio was not found"
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


def start(tmux: Tmux, server: object, tmp_path: Path) -> int:
    preset = tmp_path / "p.yaml"
    preset.write_text(PRESET)
    env = {k: v for k, v in pulse.client_env(server, "coach", tmp_path).items() if k in CLIENT_KEYS}
    return tmux.start_coach("coach", tmp_path / "history.sqlite3", preset, mute=False, env=env)


def countdown_rows(screen: str) -> list[str]:
    """The big digits' rows: what moves each second of a rest."""
    return [line for line in screen.splitlines() if "██" in line]


def test_a_server_frozen_mid_rest_costs_the_sound_not_the_countdown_or_the_exit(tmux: Tmux, tmp_path: Path) -> None:
    with pulse.pulse_server() as server:
        server.add_sink("coach")
        pid = start(tmux, server, tmp_path)
        assert "sound: stream" in tmux.wait_for("REST", timeout=30)
        with frozen(server):
            froze, before = time.monotonic(), countdown_rows(tmux.screen("coach"))
            shown = tmux.wait_for("using the terminal bell", timeout=4)
            took = time.monotonic() - froze
            assert "Sound: the audio device stopped asking for" in shown, shown
            assert took < GIVEN_UP_WITHIN_S, f"the bell took over {took:.2f} s after the server froze"
            time.sleep(1.2)
            assert countdown_rows(tmux.screen("coach")) != before, "the countdown stopped with the sound server"
            assert "terminal bell" in tmux.screen("coach")
            tmux("send-keys", "-t", "coach", "?")  # keys still work
            tmux.wait_for("hands-free", timeout=1)
            os.kill(pid, signal.SIGTERM)
            assert wait_gone(pid, ENDS_WITHIN_S), f"still running {ENDS_WITHIN_S} s after SIGTERM"


def test_a_server_frozen_before_the_sound_opens_gives_the_bell_and_the_workout_starts(tmux: Tmux, tmp_path: Path) -> None:
    with pulse.pulse_server() as server:
        server.add_sink("coach")
        with frozen(server):
            pid = start(tmux, server, tmp_path)
            shown = tmux.wait_for("GET READY", timeout=15)
            tmux.wait_for("terminal bell", timeout=2)
            assert "sound: sound server not answering: terminal bell" in tmux.wait_for("NEGATIVE", timeout=5), shown
            os.kill(pid, signal.SIGTERM)
            assert wait_gone(pid, ENDS_WITHIN_S), f"still running {ENDS_WITHIN_S} s after SIGTERM"
