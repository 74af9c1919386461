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
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.app import App

from tempo_coach.history.store import HistoryStore, iso
from tempo_coach.tui.screens.history import HistoryScreen, load_history

PRESETS = (
    ("leg-press", "Leg press", "2-1-2-1", 3, 12),
    ("goblet-squat", "Goblet squat", "3-1-X-0", 4, 8),
    ("push-up", "Push-up", "2-0-1-1", 3, None),
    ("romanian-deadlift", "Romanian deadlift", "3-1-1-0", 3, 10),
    ("leg-press-normal", "Leg press", "2-1-1-1", 3, 12),
)
LIMIT_S = 0.5


def build(path: Path, workouts: int, seed: int = 6) -> int:
    """Fill a fresh history with `workouts` workouts; returns the number of sets."""
    rnd = random.Random(seed)
    start = datetime(2021, 1, 1, 7, 0, tzinfo=UTC)
    sets_rows = []
    with HistoryStore.open(path) as store, store.transaction() as conn:
        for i in range(workouts):
            preset, exercise, tempo, sets, reps = PRESETS[i % len(PRESETS)]
            started = start + timedelta(hours=4 * i, minutes=rnd.randint(0, 59))
            cursor = conn.execute(
                "INSERT INTO workouts (started_at, ended_at, preset, name, exercise, tempo, sets_planned, reps_target)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (iso(started), iso(started + timedelta(minutes=12)), preset, exercise, exercise, tempo, sets, reps),
            )
            for n in range(1, sets + 1):
                done = rnd.randint(6, 20) if reps is None else rnd.randint(max(1, reps - 4), reps)
                fallback = rnd.choice([None, None, max(1, done - 2)])
                sets_rows.append(
                    (cursor.lastrowid, n, done, reps, done * 5.5, fallback, int(reps is None or done >= reps), iso(started))
                )
        conn.executemany("INSERT INTO sets VALUES (?, ?, ?, ?, ?, ?, ?, ?)", sets_rows)
    return len(sets_rows)


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
