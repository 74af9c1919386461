"""Cue onsets measured where the ear is: at a PulseAudio sink, for the open stream and for simpleaudio.

    python bench/pulse_onsets.py                      # 3 minutes, the UI in tmux, a CPU hog beside it
    python bench/pulse_onsets.py --seconds 60 --headless --no-hog
    python bench/pulse_onsets.py --server pipewire    # the same through PipeWire's pipewire-pulse

Starts its own sound server (run as an unprivileged user when we are root, which PulseAudio refuses):
PulseAudio, or with --server pipewire PipeWire, pipewire-pulse and WirePlumber, as Ubuntu 24.04,
Fedora and Debian 13 run them; either way headless, with no systemd and no D-Bus. It gets two null
sinks, one a backend, and plays the same workout through each at the same time:
`tempo-coach run` with `--backend stream` into one and `--backend simpleaudio` into the other (the
coach in tmux at 100x30, or the session alone with --headless), each with a cue log. `parec`
records each sink's monitor. Each cue's onset is found in its recording (the first sample above
-30 dBFS, less where that sample falls in the cue's own WAV, so the onset is the cue's first
sample) and matched to its cue log line. The error of a cue is its onset time in the recording
minus its deadline; jitter is each error's distance from the errors' straight line over the run,
reported as p50 / p99 / max with the spread (max - min of those distances). A constant latency
does not count (the audio offset is for that), nor does a constant rate between the recording's
samples and the system clock, printed as `rate ppm`; wander does. A null sink keeps time by the
system clock, but not exactly at its nominal rate: PulseAudio's ran about 8 ppm fast here (the
stream's own callbacks and DAC times say so over 90 s), and the coach, following the sink as it must
a sound card, places cues by the sink's samples; measured against the nominal rate that read as
a 1.8 ms ramp over 3 minutes, not as jitter. Needs: pulseaudio (or pipewire, pipewire-pulse, wireplumber), pulseaudio-utils (pactl,
parec), libasound2-plugins (ALSA -> PulseAudio, for simpleaudio and PortAudio), libportaudio2,
tmux (not with --headless).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATE = 44_100
THRESHOLD = 1000
"""-30 dBFS: well above the keep-awake hiss (-60 dBFS), below every cue's first cycle."""
USER = "tempo-coach-pulse"
BACKENDS = ("stream", "simpleaudio")
WORKOUT = ["leg-press-normal", "--sets", "1", "--reps", "999", "--get-ready", "3", "--voice", "off"]
"""Tempo 2-1-1-1 with ticks: about 1.6 cues a second."""


@dataclass(frozen=True)
class Figures:
    cues: int
    found: int
    p50: float
    p99: float
    max: float
    spread: float
    ppm: float
    """How much faster the onsets ran than the recording's samples at the nominal rate (see `figures`)."""
    others: int = 0
    """Cues the same coach played on another backend, having fallen back (0: it never did)."""

    def row(self, label: str) -> str:
        return f"{label:<12} {self.cues:>5} {self.found:>6} {self.p50:>8.3f} {self.p99:>8.3f} {self.max:>8.3f} {self.spread:>9.3f} {self.ppm:>8.1f} {self.others:>9}"


HEADER = f"{'backend':<12} {'cues':>5} {'found':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'spread ms':>9} {'rate ppm':>8} {'fell back':>9}"


# ---- the sound server ------------------------------------------------------------------------


class PulseServer:
    """A sound server speaking PulseAudio's protocol at `socket`; `env` points a client at it."""

    def __init__(self, socket: Path) -> None:
        self.env = {"PULSE_SERVER": f"unix:{socket}"}

    def pactl(self, *args: str) -> str:
        done = subprocess.run(["pactl", *args], env={**os.environ, **self.env}, capture_output=True, text=True, timeout=10)
        if done.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout.strip()

    def answers(self) -> bool:
        try:
            self.pactl("info")
        except RuntimeError:
            return False
        return True

    def add_sink(self, name: str) -> str:
        """A mono null sink at RATE (so the recording is the stream's own samples); returns its module index."""
        return self.pactl("load-module", "module-null-sink", f"sink_name={name}", f"rate={RATE}", "channels=1")


@dataclass(frozen=True)
class Program:
    """One program of a server, started once the one before it is `ready`."""

    command: list[str]
    ready: Callable[[PulseServer], bool]


@dataclass(frozen=True)
class Server:
    """How to start a server in `folder` (its XDG_RUNTIME_DIR and HOME): its programs, in order, and
    the socket its PulseAudio clients connect to."""

    programs: list[Program]
    socket: Path


def pulseaudio(folder: Path) -> Server:
    """PulseAudio with no modules but the socket (-n): null sinks are added over it."""
    socket = folder / "native"
    command = [
        "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--log-target=stderr",
        "-L", f"module-native-protocol-unix socket={socket} auth-anonymous=1",
    ]  # fmt: skip
    return Server([Program(command, PulseServer.answers)], socket)


PIPEWIRE_CONFIG = {
    # The graph at RATE (PipeWire's default is 48 kHz): the sinks' samples are the stream's, unresampled.
    "pipewire/pipewire.conf.d/tempo-coach.conf": f"context.properties = {{ default.clock.rate = {RATE} }}\n",
    # No devices (nothing of the machine's own sound card), no portal: then WirePlumber needs no D-Bus.
    "wireplumber/main.lua.d/60-tempo-coach.lua": "alsa_monitor.enabled = false\nv4l2_monitor.enabled = false\n"
    "libcamera_monitor.enabled = false\ndefault_access.properties[\"enable-flatpak-portal\"] = false\n",
    "wireplumber/bluetooth.lua.d/60-tempo-coach.lua": "bluez_monitor.enabled = false\n",
}


def pipewire(folder: Path) -> Server:
    """PipeWire with pipewire-pulse (PulseAudio's protocol, where its null sinks come from) and
    WirePlumber (which links each stream to its sink), configured from `folder`/config."""
    for name, text in PIPEWIRE_CONFIG.items():
        (folder / "config" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "config" / name).write_text(text)

    def wireplumber_connected(server: PulseServer) -> bool:
        return "wireplumber" in server.pactl("list", "short", "clients")

    return Server(
        [
            Program(["pipewire"], lambda _: (folder / "pipewire-0").exists()),
            Program(["pipewire-pulse"], PulseServer.answers),
            Program(["wireplumber"], wireplumber_connected),
        ],
        folder / "pulse" / "native",
    )


SERVERS: dict[str, Callable[[Path], Server]] = {"pulseaudio": pulseaudio, "pipewire": pipewire}


@contextlib.contextmanager
def pulse_server(kind: str = "pulseaudio") -> Iterator[PulseServer]:
    """Start the server `kind` (a key of SERVERS) for the duration, as USER when we are root
    (PulseAudio refuses root), with no systemd and no D-Bus."""
    folder = Path(tempfile.mkdtemp(prefix="tempo-coach-pulse-"))
    server = SERVERS[kind](folder)
    env = {"XDG_RUNTIME_DIR": str(folder), "HOME": str(folder), "XDG_CONFIG_HOME": str(folder / "config"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    prefix: list[str] = []
    if os.geteuid() == 0:
        _ensure_user()
        for path in [folder, *folder.rglob("*")]:
            shutil.chown(path, USER)
        folder.chmod(0o755)
        prefix = ["runuser", "-u", USER, "--", "env", *(f"{k}={v}" for k, v in env.items())]
    client = PulseServer(server.socket)
    log = open(folder.parent / f"{folder.name}.log", "wb")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for program in server.programs:
            # nothing of ours in its environment: it may not read our folders
            processes.append(subprocess.Popen([*prefix, *program.command], env=env, stdout=log, stderr=log, start_new_session=True))
            _wait_for(lambda: _ready(program, client), 10, f"{program.command[0]} did not start (see {log.name})")
        yield client
    finally:  # each program is a process group of its own (runuser and the server under it): all of it ends
        for process in reversed(processes):
            _signal_group(process, signal.SIGTERM)
        for process in reversed(processes):
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)
            _signal_group(process, signal.SIGKILL)  # what is left (runuser's child outlived it)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def _ready(program: Program, server: PulseServer) -> bool:
    try:
        return program.ready(server)
    except RuntimeError:
        return False


def _ensure_user() -> None:
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)


def _wait_for(ready: Callable[[], bool], seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(message)
        time.sleep(0.05)


def parec_command(sink: str) -> list[str]:
    """Record `sink`'s monitor as raw 16-bit mono at RATE on stdout."""
    return ["parec", "-d", f"{sink}.monitor", "--raw", "--format=s16le", f"--rate={RATE}", "--channels=1", "--latency-msec=20"]


def client_env(server: PulseServer, sink: str, home: Path) -> dict[str, str]:
    """A coach's environment: ALSA's default device is PulseAudio (for simpleaudio and PortAudio),
    its default sink `sink`, its config and history in `home`."""
    (home / ".asoundrc").write_text("pcm.!default { type pulse }\nctl.!default { type pulse }\n")
    return {
        **os.environ,
        **server.env,
        "PULSE_SINK": sink,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "TEMPO_COACH_HISTORY": str(home / "history.sqlite3"),
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm-256color",
    }


# ---- playing a workout -------------------------------------------------------------------------


def headless(argv: list[str], seconds: float) -> int:
    """The session alone (no TUI): run the workout for `seconds`, hand over on device loss as the app
    does, print every notice on stdout."""
    from tempo_coach.cli.commands import build_parser, load_with_overrides, run_options
    from tempo_coach.presets.config import load_config
    from tempo_coach.runtime.session import Sound, WorkoutSession

    class Host:
        def events(self, batch: object) -> None:
            pass

        def notice(self, text: str) -> None:
            print(f"notice: {text}", flush=True)

        def ring(self) -> None:
            pass

    args = build_parser().parse_args(["run", *argv])
    preset, options = load_with_overrides(args), run_options(args, load_config())
    host = Host()
    sound = Sound(options, host.ring)
    backend = sound.open(preset)
    print(f"sound: {backend.name} — {backend.notice}", flush=True)
    session = WorkoutSession(preset, options, host, sound)
    session.start(backend)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.25)
        handover = session.check_sound()
        if handover:
            print(f"notice: {handover}", flush=True)
    session.close()
    return 0


def start_coach(backend: str, env: dict[str, str], log: Path, seconds: float, ui: bool, tmux: list[str], name: str) -> subprocess.Popen[bytes] | None:
    argv = [*WORKOUT, "--backend", backend, "--cue-log", str(log)]
    if not ui:
        command = [sys.executable, __file__, "--child", json.dumps(argv), "--seconds", str(seconds)]
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE)
    tempo_coach = Path(sys.executable).parent / "tempo-coach"
    inner = " ".join([str(tempo_coach), "run", *argv])
    exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items() if k in ("PULSE_SERVER", "PULSE_SINK", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "TEMPO_COACH_HISTORY", "TERM"))
    subprocess.run([*tmux, "new-session", "-d", "-s", name, "-x", "100", "-y", "30", f"env {exports} {inner}"], check=True)
    return None


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


# ---- finding the onsets ----------------------------------------------------------------------


def read_raw(path: Path) -> array[int]:
    samples = array("h", path.read_bytes()[: path.stat().st_size // 2 * 2])
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def crossings(samples: array[int], quiet_s: float = 0.015) -> list[int]:
    """Every sample above THRESHOLD that follows at least `quiet_s` below it: where sounds begin."""
    found, last_loud, quiet = [], -(10**9), int(quiet_s * RATE)
    for i, s in enumerate(samples):
        if s > THRESHOLD or s < -THRESHOLD:
            if i - last_loud > quiet:
                found.append(i)
            last_loud = i
    return found


def lead_in(cue: str) -> int:
    """Where the cue's own WAV first crosses THRESHOLD: an onset found there began this much earlier."""
    with wave.open(str(ROOT / "sounds" / f"{cue}.wav"), "rb") as wav:
        samples = array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    return next(i for i, s in enumerate(samples) if abs(s) > THRESHOLD)


def figures(log: Path, recording: Path, backend: str) -> Figures:
    """Match each cue played by `backend` to the onset nearest its expected place; jitter statistics."""
    logged = [c for c in map(json.loads, log.read_text().splitlines()) if not c.get("skipped")]
    cues = [c for c in logged if c["backend"] == backend]
    others = len(logged) - len(cues)
    onsets = crossings(read_raw(recording))
    if not cues or not onsets:
        return Figures(len(cues), 0, *(float("nan"),) * 5, others)
    leads = {name: lead_in(name) for name in {c["cue"] for c in cues}}
    shift = (onsets[0] - leads[cues[0]["cue"]]) / RATE - (cues[0]["deadline"] - cues[0]["offset_ms"] / 1000)
    dues: list[float] = []
    errors: list[float] = []
    for _ in range(2):  # once from the first cue, then again from the median error
        dues, errors = [], []
        for cue in cues:
            due = cue["deadline"] - cue["offset_ms"] / 1000
            expected = (due + shift) * RATE + leads[cue["cue"]]
            nearest = min(onsets, key=lambda o: abs(o - expected))
            if abs(nearest - expected) < 0.05 * RATE:
                dues.append(due)
                errors.append((nearest - leads[cue["cue"]]) / RATE - due)
        shift = statistics.median(errors) if errors else shift
    if len(errors) < 2:
        return Figures(len(cues), len(errors), *(float("nan"),) * 5, others)
    # The recording's samples run at the sink's rate, which need not be RATE on the system clock (a
    # PulseAudio null sink here: about 8 ppm fast, as the stream's own callbacks and DAC times say,
    # and the coach follows the sink as it must a sound card). So the errors are measured around
    # their line, and its slope is reported beside them (a coach that lost the sink's pace shows here).
    fit = statistics.linear_regression(dues, errors)
    residuals = [e - (fit.intercept + fit.slope * d) for d, e in zip(dues, errors)]
    jitter = sorted(abs(r) * 1000 for r in residuals)
    p50, p99 = jitter[len(jitter) // 2], jitter[min(len(jitter) - 1, int(0.99 * len(jitter)))]
    return Figures(len(cues), len(errors), p50, p99, jitter[-1], (max(residuals) - min(residuals)) * 1000, fit.slope * 1e6, others)


# ---- one run of both backends ------------------------------------------------------------------------


def measure(seconds: float, ui: bool, hog: bool, keep: Path | None = None, server_kind: str = "pulseaudio") -> dict[str, Figures]:
    """Both backends at once, each into its own sink of a `server_kind` server, for `seconds`; their
    figures. With `keep`, the recordings and cue logs are left in that folder."""
    work = keep or Path(tempfile.mkdtemp(prefix="tempo-coach-onsets-"))
    work.mkdir(parents=True, exist_ok=True)
    tmux = ["tmux", "-L", f"tempo-coach-onsets-{os.getpid()}"]
    recorders: list[subprocess.Popen[bytes]] = []
    coaches: list[subprocess.Popen[bytes]] = []
    hog_process = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if hog else None
    try:
        with pulse_server(server_kind) as server:
            for backend in BACKENDS:
                server.add_sink(backend)
                recorders.append(subprocess.Popen(parec_command(backend), env={**os.environ, **server.env}, stdout=open(work / f"{backend}.raw", "wb")))
            time.sleep(0.5)
            for backend in BACKENDS:
                home = work / backend
                home.mkdir()
                coach = start_coach(backend, client_env(server, backend, home), work / f"{backend}.jsonl", seconds, ui, tmux, backend)
                if coach is not None:
                    coaches.append(coach)
            if ui:
                time.sleep(seconds)
                subprocess.run([*tmux, "kill-server"], capture_output=True)
            for coach in coaches:
                coach.wait(seconds + 30)
            time.sleep(0.5)
            for recorder in recorders:
                recorder.terminate()
                recorder.wait(5)
        return {backend: figures(work / f"{backend}.jsonl", work / f"{backend}.raw", backend) for backend in BACKENDS}
    finally:
        if hog_process is not None:
            hog_process.kill()
        subprocess.run([*tmux, "kill-server"], capture_output=True)
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--headless", action="store_true", help="the session without the TUI (no tmux needed)")
    parser.add_argument("--no-hog", action="store_true", help="no CPU hog on the other core")
    parser.add_argument("--server", choices=SERVERS, default="pulseaudio", help="the sound server the sinks are on (default: pulseaudio)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="leave the recordings and cue logs in DIR")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return headless(json.loads(args.child), args.seconds)
    results = measure(args.seconds, ui=not args.headless, hog=not args.no_hog, keep=args.keep, server_kind=args.server)
    print(f"{' '.join(os.uname())}; {args.server}; {args.seconds:g} s; {'headless' if args.headless else 'UI in tmux 100x30'}; {'no hog' if args.no_hog else 'CPU hog on the other core'}")
    print(HEADER)
    for backend, stats in results.items():
        print(stats.row(backend))
    return 0


if __name__ == "__main__":
    sys.exit(main())
