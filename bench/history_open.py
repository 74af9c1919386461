"""How long the history screen takes to open on a long history: 10 000 workouts by default.

Builds a database of WORKOUTS workouts (several sets each, five presets, one every few hours), then
times, in a headless Textual app, from the app's start to the moment the history screen says its
data is in its widgets (HistoryScreen.Shown) and to the screen refresh after that
(`call_after_refresh`: the data on screen). Baselines measured in the same run: the
same app on an empty history, and on 100 workouts. Also the read alone (load_history, no Textual).

    .venv/bin/python bench/history_open.py [--workouts 10000] [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App

from tempo_coach.tui.screens.history import HistoryScreen, load_history

from history_data import build  # bench/history_data.py, beside this script

LIMIT_S = 0.5


class BenchApp(App[None]):
    """Pushes the history screen on mount, as the real app does on `h`."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.shown_at: float | None = None
        self.painted_at: float | None = None
        self.rows = 0

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self.path))

    def on_history_screen_shown(self, message: HistoryScreen.Shown) -> None:
        self.shown_at = time.perf_counter()
        self.rows = len(message.data.recent)
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        self.painted_at = time.perf_counter()


async def open_once(path: Path) -> tuple[float, float, int]:
    """(seconds to data shown, seconds to the next paint, rows in the recent table)."""
    started = time.perf_counter()
    app = BenchApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        while app.painted_at is None:
            await pilot.pause(0.001)
        assert app.shown_at is not None
        return app.shown_at - started, app.painted_at - started, app.rows


def figures(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:6.1f} ms  min {min(samples) * 1000:6.1f}  max {max(samples) * 1000:6.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workouts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"{platform.platform()}  python {platform.python_version()}  cpus {__import__('os').cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        cases = {}
        for name, count in (("empty", 0), ("100 workouts", 100), (f"{args.workouts} workouts", args.workouts)):
            path = Path(tmp) / f"{count}.sqlite3"
            t = time.perf_counter()
            sets = build(path, count)
            print(f"built {name}: {sets} sets, {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t:.2f} s")
            cases[name] = path
        asyncio.run(open_once(cases["empty"]))  # warm imports and Textual's first-run costs
        failed = False
        for name, path in cases.items():
            read = []
            for _ in range(args.runs):
                t = time.perf_counter()
                load_history(path)
                read.append(time.perf_counter() - t)
            shown, painted, rows = [], [], 0
            for _ in range(args.runs):
                s, p, rows = asyncio.run(open_once(path))
                shown.append(s)
                painted.append(p)
            print(f"\n{name} ({rows} rows in the table)")
            print(f"  read only (load_history)      {figures(read)}")
            print(f"  app start -> data shown       {figures(shown)}")
            print(f"  app start -> refreshed        {figures(painted)}")
            failed |= statistics.median(painted) >= LIMIT_S
    print(f"\nlimit {LIMIT_S * 1000:.0f} ms (median, app start -> refreshed): {'MISSED' if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
