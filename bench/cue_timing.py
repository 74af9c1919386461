"""Cue dispatch timing of a real workout at real time, with the UI rendering and with a CPU hog.

    python bench/cue_timing.py                 # 5 minutes per scenario (15 minutes in all)
    python bench/cue_timing.py --minutes 1     # a trial

Scenarios, each in a fresh process so nothing carries over:
  idle      the coach alone (the baseline, measured in the same run)
  ui        the coach plus a Textual app repainting at ~10 Hz (Digits + labels from coach.view(), as
            the coach screen does), engine events posted to the app as messages
  ui+hog    the same with a busy-loop process competing for the CPUs (2 cores: "the other core")

The workout: tempo 2-0.5-1.5-0.5 with ticks, 12 reps, 8 s rest, 4 s get-ready, repeated until the
time is up: about 1.3 cues a second. Cues go through the real simpleaudio backend into ALSA's file
plugin (a temporary HOME with an .asoundrc, so no sound card is needed) unless --backend null.
The Textual app runs headless (no terminal here): it composes and renders every frame, the driver
just discards the output.

The error of a cue is `dispatched - (deadline - offset)` from the --cue-log lines: how late the
backend's play call was made. Drift is the last cue's error minus the first's (and, less noisy, the
median of the last tenth minus the median of the first tenth). Targets: p99 <= 2 ms, max <= 5 ms,
drift <= 1 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("idle", "ui", "ui+hog")
TARGETS = {"p99": 2.0, "max": 5.0, "drift": 1.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="length of each scenario (default 5)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, from {', '.join(SCENARIOS)}")
    parser.add_argument("--backend", choices=("file", "null"), default="file", help="simpleaudio into an ALSA file, or no sound at all")
    parser.add_argument("--spin-ms", type=float, help="the coach's spin before each cue (default: scheduler.SPIN_S)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.minutes, args.backend, args.log, args.spin_ms)
    print(machine())
    print(f"{args.minutes:g} min per scenario, backend {args.backend}, spin {args.spin_ms if args.spin_ms is not None else 'default'} ms\n")
    print(f"{'scenario':<10} {'cues':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'drift ms':>9} {'drift10 ms':>11}  targets")
    ok = True
    for scenario in args.scenarios.split(","):
        stats = run_scenario(scenario, args.minutes, args.backend, args.spin_ms)
        met = stats["p99"] <= TARGETS["p99"] and stats["max"] <= TARGETS["max"] and abs(stats["drift"]) <= TARGETS["drift"]
        ok &= met
        print(
            f"{scenario:<10} {stats['cues']:>6} {stats['p50']:>8.3f} {stats['p99']:>8.3f} {stats['max']:>8.3f}"
            f" {stats['drift']:>9.3f} {stats['drift10']:>11.3f}  {'met' if met else 'MISSED'}",
            flush=True,
        )
    return 0 if ok else 1


def machine() -> str:
    uname = " ".join(os.uname())
    return f"{uname}\nnproc {os.cpu_count()}, Python {sys.version.split()[0]}, switch interval set by the coach"


def run_scenario(scenario: str, minutes: float, backend: str, spin_ms: float | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "cues.jsonl"
        hog = None
        if scenario.endswith("+hog"):
            hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            command = [sys.executable, __file__, "--child", scenario, "--minutes", str(minutes), "--backend", backend, "--log", str(log)]
            command += ["--spin-ms", str(spin_ms)] if spin_ms is not None else []
            subprocess.run(command, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        finally:
            if hog is not None:
                hog.kill()
                hog.wait()
        return summarise([json.loads(line) for line in log.read_text().splitlines()])


def summarise(records: list[dict[str, object]]) -> dict[str, float]:
    errors = [(float(r["dispatched"]) - (float(r["deadline"]) - float(r["offset_ms"]) / 1000)) * 1000 for r in records]  # type: ignore[arg-type]
    ordered = sorted(errors)
    tenth = max(1, len(errors) // 10)
    return {
        "cues": len(errors),
        "p50": statistics.median(ordered),
        "p99": ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))],
        "max": ordered[-1],
        "drift": errors[-1] - errors[0],
        "drift10": statistics.median(errors[-tenth:]) - statistics.median(errors[:tenth]),
    }


# ---- the child: one scenario ----------------------------------------------------------------------


def child(scenario: str, minutes: float, backend_kind: str, log: Path, spin_ms: float | None) -> int:
    if backend_kind == "file":
        home = Path(tempfile.mkdtemp())
        (home / ".asoundrc").write_text(f'pcm.!default {{ type file; slave.pcm "null"; file "{home / "out.raw"}"; format "raw" }}\n')
        os.environ["HOME"] = str(home)  # ALSA reads ~/.asoundrc when it first opens a device: after this

    from tempo_coach.audio.backend import NullBackend
    from tempo_coach.audio.choose import open_sound
    from tempo_coach.core.engine import Workout
    from tempo_coach.core.model import Preset
    from tempo_coach.core.tempo import parse_tempo
    from tempo_coach.runtime.scheduler import SPIN_S, Coach

    spin_s = SPIN_S if spin_ms is None else spin_ms / 1000

    preset = Preset(id="bench", tempo=parse_tempo("2-0.5-1.5-0.5"), sets=99, reps=12, rest_ms=8000, get_ready_ms=4000, ticks=True)
    backend = open_sound(preset, "simpleaudio", lambda: None) if backend_kind == "file" else NullBackend()
    if backend_kind == "file" and backend.name != "simpleaudio":
        print(f"ALSA file backend did not open: {backend.notice}", file=sys.stderr)
        return 1
    seconds = minutes * 60
    if scenario == "idle":
        coach = Coach(Workout(preset), lambda events: None, backend=backend, cue_log=log, spin_s=spin_s)
        coach.start()
        time.sleep(seconds)
        coach.stop()
        print(f"  ({scenario}: scheduler thread priority boost {'applied' if coach.boosted else 'refused'})", file=sys.stderr)
    else:
        run_ui(preset, backend, log, seconds, spin_s)
    backend.close()
    return 0


def run_ui(preset: object, backend: object, log: Path, seconds: float, spin_s: float) -> None:
    from textual.app import App, ComposeResult
    from textual.message import Message
    from textual.widgets import Digits, Label, ProgressBar

    from tempo_coach.core.engine import Workout
    from tempo_coach.runtime.scheduler import Coach

    class Events(Message):
        def __init__(self, events: list[object]) -> None:
            super().__init__()
            self.events = events

    class Bench(App[None]):
        """A bare coach screen: what the real one repaints, at its rate."""

        def compose(self) -> ComposeResult:
            yield Label(id="phase")
            yield Digits("0.0", id="remaining")
            yield ProgressBar(total=1.0, show_eta=False, id="progress")
            yield Label(id="counts")

        def on_mount(self) -> None:
            self.coach = Coach(Workout(preset), lambda events: self.post_message(Events(events)), backend=backend, cue_log=log, spin_s=spin_s)  # type: ignore[arg-type]
            self.coach.start()
            self.events_seen = 0
            self.set_interval(0.1, self.repaint)
            self.set_timer(seconds, self.finish)

        def repaint(self) -> None:
            view = self.coach.view()
            self.query_one("#phase", Label).update(f"{view.phase.label if view.phase else ''}  set {view.set}/{view.sets}")
            self.query_one("#remaining", Digits).update(f"{view.remaining:.1f}")
            self.query_one("#progress", ProgressBar).update(progress=view.progress)
            self.query_one("#counts", Label).update(f"rep {view.rep} · {view.reps_done} done · events {self.events_seen}")

        def on_events(self, message: Events) -> None:  # the handler name Textual derives from the class
            self.events_seen += len(message.events)

        def finish(self) -> None:
            self.coach.stop()
            print(f"  (ui: scheduler thread priority boost {'applied' if self.coach.boosted else 'refused'})", file=sys.stderr)
            self.exit()

    Bench().run(headless=True, size=(100, 30))


if __name__ == "__main__":
    sys.exit(main())
