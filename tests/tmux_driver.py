"""Driving the real `tempo-coach` in a private tmux server: start it, read the screen, find its pid."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

EXITED = "COACH-EXITED"
"""What the shell around a recorded coach (`Tmux.start_coach_recorded`) prints once it has gone."""


class Tmux:
    """One private tmux server for a test."""

    def __init__(self, tmp: Path) -> None:
        self.socket = f"tempo-coach-test-{uuid.uuid4().hex[:8]}"
        self.tmp = tmp
        self.config = tmp / "tmux.conf"
        self.config.write_text("set -g remain-on-exit on\n")  # a crash stays on screen for the report

    def __call__(self, *args: str) -> str:
        return self.run(*args).stdout

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, "-f", str(self.config), *args], capture_output=True, text=True, timeout=10)

    def start_coach(
        self,
        name: str,
        history: Path,
        preset: Path | str | None,
        *extra: str,
        size: tuple[int, int] = (100, 30),
        mute: bool = True,
        env: Mapping[str, str] = MappingProxyType({}),
        status: Path | None = None,
    ) -> int:
        """Run `tempo-coach run PRESET` (a file or a preset's name; none: the start screen) in a new
        session of `size` (100x30), muted unless told, with `env` besides; returns the coach's pid
        (with `status`, the pid of a shell that writes the coach's exit status there once it ends:
        tmux's own pane_dead_status is empty until it reaps the coach, which may be never)."""
        coach = f"{self._environment(history, env)} {self._coach(preset, extra, mute)}"
        self._new_session(name, size, f"exec {coach}" if status is None else f"{coach}; echo $? > {shlex.quote(str(status))}")
        return int(self("display-message", "-p", "-t", name, "#{pane_pid}").strip())

    def start_coach_recorded(self, name: str, history: Path, preset: Path, recording: Path, size: tuple[int, int] = (100, 30)) -> int:
        """Run the coach as `start_coach` does, but under `script`, which saves every byte the coach
        writes to its terminal in `recording`, and in a shell that outlives it: once the coach has
        gone the pane shows the terminal's normal screen, then EXITED. Returns the coach's pid."""
        pid_file = self.tmp / f"{name}.pid"
        inside = f"echo $$ > {shlex.quote(str(pid_file))}; exec {self._coach(preset, (), True)}"
        script = f"script -q -f -c {shlex.quote(inside)} {shlex.quote(str(recording))}"
        self._new_session(name, size, f"{self._environment(history)} {script}; echo {EXITED}; sleep 60")
        deadline = time.monotonic() + 10
        while not (pid_file.exists() and pid_file.read_text().strip()):
            assert time.monotonic() < deadline, "the coach never started under script"
            time.sleep(0.02)
        return int(pid_file.read_text())

    def _environment(self, history: Path, env: Mapping[str, str] = MappingProxyType({})) -> str:
        return " ".join(
            [
                "env -u COLUMNS -u LINES",  # readline, loaded under pytest, exports 80x24 to children
                f"TEMPO_COACH_HISTORY={shlex.quote(str(history))}",
                f"XDG_CONFIG_HOME={shlex.quote(str(self.tmp / 'config'))}",  # not the developer's config
                "TERM=xterm-256color",
                *(f"{key}={shlex.quote(value)}" for key, value in env.items()),
            ]
        )

    def _coach(self, preset: Path | str | None, extra: tuple[str, ...], mute: bool) -> str:
        return " ".join(
            [
                shlex.quote(sys.executable),
                "-m tempo_coach run",
                shlex.quote(str(preset)) if preset is not None else "",
                "--mute" if mute else "",
                *map(shlex.quote, extra),
            ]
        )

    def _new_session(self, name: str, size: tuple[int, int], command: str) -> None:
        started = self.run("new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), "-c", str(self.tmp), command)
        assert started.returncode == 0, started.stderr

    def wait_for(self, words: str, name: str = "coach", timeout: float = 30.0) -> str:
        """The screen of session `name` once it shows `words`; fails after `timeout` s, showing it."""
        deadline = time.monotonic() + timeout
        while words not in (shown := self.screen(name)):
            assert time.monotonic() < deadline, f"never showed {words!r}:\n{shown}"
            time.sleep(0.02)
        return shown

    def screen(self, name: str) -> str:
        return self("capture-pane", "-p", "-t", name)

    def kill_server(self) -> None:
        """Stop this test's server and remove its socket file (tmux leaves it behind)."""
        self.run("kill-server")
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)


def alive(pid: int) -> bool:
    """Running: neither gone nor (where /proc tells) a zombie waiting for tmux to reap it."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc (macOS): a zombie counts as alive until reaped
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False
