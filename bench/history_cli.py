"""How long `tempo-coach history` takes to print a long history: 100 000 workouts by default.

Builds a history of WORKOUTS workouts (bulk insert, about 3.2 sets each), then times the real
command in a fresh process, from start to exit, for each form: the table, --csv and --json, with
the output going to a file. Wall time is what the lifter waits; CPU time (user + system, from
wait4) is what the command costs, and is steadier on a shared machine. Baselines measured in the
same run: Python starting `tempo-coach --version` (the floor), and each form on an empty history
and on 100 workouts. `--also DIR` times another checkout the same way (e.g. the main branch), on
the same databases.

    .venv/bin/python bench/history_cli.py [--workouts 100000] [--runs 5] [--also /work/main]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from history_data import build  # bench/history_data.py, beside this script

LIMIT_S = 1.0
HERE = Path(__file__).resolve().parents[1]
"""The checkout this script belongs to."""
FORMS = {"table": [], "--csv": ["--csv"], "--json": ["--json"]}


def timed(argv: list[str], out: Path, source: Path) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, exit code, bytes written) for one `python -m tempo_coach ARGV`
    run from the checkout `source` (started in the output's folder, so `-m` finds no other)."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    with open(out, "wb") as sink:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "tempo_coach", *argv], stdout=sink, stderr=subprocess.DEVNULL, env=env, cwd=out.parent
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_utime + usage.ru_stime, child.returncode, out.stat().st_size


def figures(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:5.0f} ms (min {min(samples) * 1000:5.0f}, max {max(samples) * 1000:5.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workouts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--also", type=Path, metavar="DIR", help="another tempo-coach checkout to time the same way")
    args = parser.parse_args()
    print(f"{platform.platform()}  python {platform.python_version()}  cpus {os.cpu_count()}  load {os.getloadavg()[0]:.2f}")
    sources = {"this checkout": HERE}
    if args.also:
        sources[str(args.also)] = args.also.resolve()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        floor = [timed(["--version"], out, HERE) for _ in range(args.runs)]
        print(f"tempo-coach --version         wall {figures([r[0] for r in floor])}  CPU {figures([r[1] for r in floor])}")
        for count in (0, 100, args.workouts):
            path = Path(tmp) / f"{count}.sqlite3"
            t = time.perf_counter()
            sets = build(path, count)
            print(f"\n{count} workouts, {sets} sets, {path.stat().st_size / 1e6:.1f} MB (built in {time.perf_counter() - t:.2f} s)")
            for name, source in sources.items():
                for form, extra in FORMS.items():
                    runs = [timed(["history", "--history", str(path), *extra], out, source) for _ in range(args.runs)]
                    wall, cpu, codes = [r[0] for r in runs], [r[1] for r in runs], sorted({r[2] for r in runs})
                    print(f"  {name:<13} {form:<7} wall {figures(wall)}  CPU {figures(cpu)}  {runs[-1][3] / 1e6:5.1f} MB  exit {codes}")
                    if source == HERE and count == args.workouts:
                        failed |= statistics.median(wall) >= LIMIT_S or codes != [0]
    print(f"\nlimit {LIMIT_S * 1000:.0f} ms (median wall, {args.workouts} workouts, every form, this checkout): {'MISSED' if failed else 'met'}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (others' work on a shared machine adds to the wall times)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
