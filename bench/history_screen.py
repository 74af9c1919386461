"""Progress on a long history: the history screen, `tempo-coach progress` and the start screen's
look-ups, on 10 000 workouts with loads by default (bench/history_data.py). Target: under 0.3 s each.

- the history screen: a headless app from its start to the data refreshed on screen (as
  bench/history_open.py times it), and the read alone (`load_history`, on the screen's thread);
- `tempo-coach progress` as a lifter runs it: a fresh process, wall time from start to exit, the
  table, `--json`, and one exercise; baselines in the same run: `tempo-coach --version` (Python and
  the package importing, the floor every command pays) and `progress` on an empty history;
- the start screen's calls for one exercise (`last_session_line`, `suggest`, `last_load`), in-process.

    .venv/bin/python bench/history_screen.py [--workouts 10000] [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tempo_coach.core.model import Preset
from tempo_coach.history import HistoryStore
from tempo_coach.history.progress import last_load, last_session_line, suggest
from tempo_coach.presets.catalog import find
from tempo_coach.tui.screens.history import load_history

from history_cli import HERE, timed  # bench/, beside this script
from history_data import build
from history_open import open_once

LIMIT_S = 0.3


def figures(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:6.1f} ms  min {min(samples) * 1000:6.1f}  max {max(samples) * 1000:6.1f}"


def repeat(runs: int, measure: Callable[[], float]) -> list[float]:
    return [measure() for _ in range(runs)]


def clocked(work: Callable[[], object]) -> Callable[[], float]:
    def measure() -> float:
        started = time.perf_counter()
        work()
        return time.perf_counter() - started

    return measure


def command(argv: list[str], out: Path, cpu: list[float]) -> Callable[[], float]:
    """Wall seconds of one run of `tempo-coach ARGV`; its CPU seconds go to `cpu` (steadier on a
    shared machine)."""

    def measure() -> float:
        seconds, cpu_seconds, code, _ = timed(argv, out, HERE)
        assert code == 0, f"{argv} exited {code}"
        cpu.append(cpu_seconds)
        return seconds

    return measure


def start_screen_calls(path: Path, leg_press: Preset) -> None:
    with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
        last_session_line(store, "Leg press")
        suggest(store, "Leg press", leg_press)
        last_load(store, "Leg press")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workouts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"{platform.platform()}  python {platform.python_version()}  cpus {os.cpu_count()}  load {os.getloadavg()[0]:.2f}")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        empty, full, out = Path(tmp) / "empty.sqlite3", Path(tmp) / "full.sqlite3", Path(tmp) / "out.txt"
        HistoryStore.open(empty).close()
        print(f"built {args.workouts} workouts: {build(full, args.workouts)} sets, {full.stat().st_size / 1e6:.1f} MB")
        asyncio.run(open_once(empty))  # warm imports and Textual's first-run costs

        def judged(name: str, samples: list[float], cpu: list[float] | None = None) -> None:
            nonlocal failed
            met = statistics.median(samples) < LIMIT_S
            failed |= not met
            shown(name, samples, cpu, f"  {'met' if met else 'MISSED'}")

        def shown(name: str, samples: list[float], cpu: list[float] | None = None, verdict: str = "") -> None:
            cpu_text = f"  CPU median {statistics.median(cpu) * 1000:6.1f} ms" if cpu else ""
            print(f"  {name:<30} {figures(samples)}{cpu_text}{verdict}")

        def run(argv: list[str]) -> tuple[list[float], list[float]]:
            cpu: list[float] = []
            return repeat(args.runs, command(argv, out, cpu)), cpu

        print("\nthe history screen")
        shown("read only (load_history)", repeat(args.runs, clocked(lambda: load_history(full))))
        shown("empty: app start -> refreshed", [asyncio.run(open_once(empty))[1] for _ in range(args.runs)])
        judged("app start -> refreshed", [asyncio.run(open_once(full))[1] for _ in range(args.runs)])

        print("\ntempo-coach progress (a fresh process, wall time)")
        shown("--version (the floor)", *run(["--version"]))
        shown("empty history", *run(["progress", "--history", str(empty)]))
        judged("table", *run(["progress", "--history", str(full)]))
        judged("--json (every session)", *run(["progress", "--json", "--history", str(full)]))
        judged("'leg press' --json", *run(["progress", "leg press", "--json", "--history", str(full)]))

        print("\nthe start screen's look-ups for one exercise (in-process)")
        leg_press = find("leg-press")
        judged("line + suggest + last_load", repeat(args.runs, clocked(lambda: start_screen_calls(full, leg_press))))
    print(f"\nlimit {LIMIT_S * 1000:.0f} ms (median): {'MISSED' if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
