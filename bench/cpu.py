"""CPU, memory and startup of the coach mid-set in a real terminal (tmux), beside two baselines.

    .venv/bin/python bench/cpu.py [--seconds 60]

Runs, each in its own tmux session at 100×30 and all at once (same machine state):
  ours     `tempo-coach run leg-press --mute --reps 999` measured mid-set (after its get-ready): the
           big glyphs redrawn on their beat, the phase bar moving 10 steps a phase on its own wake-ups,
           the same with sound on (whatever backend this machine has: without a sound device
           that is the terminal bell), and with the real simpleaudio backend playing into ALSA's
           file plugin (an .asoundrc in a temporary HOME), as on a laptop with a sound card;
           and with the open stream speaking the counts into a PulseAudio null sink (a private
           server, bench/pulse_onsets.py; left out where PulseAudio is not installed);
  textual  a bare Textual app updating one Digits and a ProgressBar at 10 Hz (this file, --bare);
  termdown the countdown timer `termdown`, installed in the venv.
CPU is utime+stime from /proc/PID/stat over the window, as % of one core; RSS is the peak of
VmRSS sampled each second. Startup is spawn to the first frame seen by capture-pane, polled every
10 ms (ours: 'GET READY'; bare Textual: its first digit), median of 3. The load average is printed
before and after: on a shared machine, compare the rows of one run, not runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BIN = Path(sys.executable).parent
TICKS = os.sysconf("SC_CLK_TCK")
SOCKET = ["tmux", "-L", f"tempo-coach-bench-{uuid.uuid4().hex[:8]}"]
UNSIZED = "env -u COLUMNS -u LINES"
"""Programs size themselves from COLUMNS/LINES when set (readline exports them): use the pane's size."""


def bare_app() -> None:
    """The baseline: Digits + ProgressBar updated at 10 Hz, nothing else."""
    from textual.app import App, ComposeResult
    from textual.widgets import Digits, ProgressBar

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Digits("0")
            yield ProgressBar(total=100, show_eta=False)

        def on_mount(self) -> None:
            self.start = time.monotonic()
            self.set_interval(0.1, self.tick)

        def tick(self) -> None:
            elapsed = time.monotonic() - self.start
            self.query_one(Digits).update(str(int(elapsed)))
            self.query_one(ProgressBar).update(progress=(elapsed * 10) % 100)

    Bare().run()


def alsa_file_home() -> Path:
    """A HOME whose .asoundrc sends ALSA's default device into /dev/null at the real rate."""
    home = Path(tempfile.mkdtemp(prefix="tempo-coach-bench-"))
    (home / ".asoundrc").write_text('pcm.!default { type file; slave.pcm "null"; file "/dev/null"; format "raw" }\n')
    return home


def tmux(*args: str) -> str:
    return subprocess.run([*SOCKET, *args], capture_output=True, text=True, check=True).stdout


def spawn(name: str, command: str) -> int:
    tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", f"exec {UNSIZED} {command}")
    return int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def first_frame(name: str, command: str, marker: str) -> float:
    start = time.monotonic()
    tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", f"exec {UNSIZED} {command}")
    while marker not in tmux("capture-pane", "-p", "-t", name):
        if time.monotonic() - start > 30:
            raise RuntimeError(f"{name}: no {marker!r} after 30 s")
        time.sleep(0.01)
    elapsed = time.monotonic() - start
    tmux("kill-session", "-t", name)
    return elapsed


def stream_command(stack: contextlib.ExitStack, sound_on: str) -> str | None:
    """The coach on the open stream, speaking the counts, into a private PulseAudio's null sink."""
    if shutil.which("pulseaudio") is None:
        return None
    import pulse_onsets  # bench/, beside this file

    server = stack.enter_context(pulse_onsets.pulse_server())
    server.add_sink("coach")
    env = pulse_onsets.client_env(server, "coach", Path(tempfile.mkdtemp(prefix="tempo-coach-bench-")))
    exports = " ".join(f"{k}={env[k]}" for k in ("PULSE_SERVER", "PULSE_SINK", "HOME"))
    return f"env {exports} {sound_on} --backend stream --voice counts"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        bare_app()
        return 0
    if shutil.which("tmux") is None:
        print("bench/cpu.py needs tmux", file=sys.stderr)
        return 1
    os.environ.setdefault("TERM", "xterm-256color")
    os.environ["TEMPO_COACH_HISTORY"] = str(Path(tempfile.mkdtemp(prefix="tempo-coach-bench-")) / "history.sqlite3")
    ours = f"{BIN / 'tempo-coach'} run leg-press --mute --reps 999 --get-ready 3"
    bare = f"{sys.executable} {Path(__file__).resolve()} --bare"
    sound_on = ours.replace(" --mute", "")
    commands = {
        "tempo-coach --mute": ours,
        "tempo-coach, sound on": sound_on,
        "tempo-coach, simpleaudio": f"env HOME={alsa_file_home()} {sound_on} --backend simpleaudio",
        "bare Textual 10 Hz": bare,
        "termdown": f"{BIN / 'termdown'} 30m",
    }
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    stack = contextlib.ExitStack()
    stream = stream_command(stack, sound_on)
    if stream:
        commands["tempo-coach, stream + voice"] = stream
    with_sound = ["r1", "r2", *(["r5"] if stream else [])]
    try:
        tmux("new-session", "-d", "-s", "keep", "sleep 3600")  # keeps the server up between sessions
        startup = {
            "tempo-coach": statistics.median(first_frame(f"s{i}", ours, "GET READY") for i in range(3)),
            "bare Textual": statistics.median(first_frame(f"b{i}", bare, "━") for i in range(3)),
        }
        pids = {label: spawn(f"r{i}", command) for i, (label, command) in enumerate(commands.items())}
        time.sleep(8)  # past the 3 s get-ready (after the open stream has settled, up to 3 s): the set is running
        for session in ("r0", *with_sound):
            shown = tmux("capture-pane", "-p", "-t", session)
            assert any(p in shown for p in ("NEGATIVE", "HOLD", "POSITIVE")), f"not mid-set:\n{shown}"
        sound = {s: next((line.strip() for line in tmux("capture-pane", "-p", "-t", s).splitlines() if "sound:" in line), "?") for s in with_sound}
        before = {label: cpu_seconds(pid) for label, pid in pids.items()}
        peak = dict.fromkeys(pids, 0.0)
        start = time.monotonic()
        while time.monotonic() - start < args.seconds:
            time.sleep(1)
            for label, pid in pids.items():
                peak[label] = max(peak[label], rss_mb(pid))
        wall = time.monotonic() - start
        cpu = {label: 100 * (cpu_seconds(pid) - before[label]) / wall for label, pid in pids.items()}
    finally:
        subprocess.run([*SOCKET, "kill-server"], capture_output=True)
        stack.close()
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    print(f"{args.seconds:g} s window, all at once in tmux 100×30; load average {' '.join(load_before)} before, {' '.join(load_after)} after")
    print(f"sound on: {sound['r1']}")
    print(f"simpleaudio: {sound['r2']}")
    print(f"stream: {sound.get('r5', 'not run')}")
    print(f"{'':24} {'CPU % of one core':>18} {'peak RSS MB':>12}")
    for label in commands:
        print(f"{label:24} {cpu[label]:18.2f} {peak[label]:12.1f}")
    print(f"startup to first frame (median of 3): tempo-coach {startup['tempo-coach']:.2f} s, "
          f"bare Textual {startup['bare Textual']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
