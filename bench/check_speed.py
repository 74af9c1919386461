"""How long `tempo-coach check` takes, and how much memory, on the worst presets just under 1 MB.

    .venv/bin/python bench/check_speed.py [--runs 3] [--pythonpath OTHER_CHECKOUT]

The files are tests/worst_presets.py's (huge lists of notes and cues, deep and long flow sequences,
900 KB strings, 80 000 keys, every field full, ...). For each, in the same run:
  cli s / MB   the real command in a fresh process, as the lifter runs it: wall seconds (median of
               --runs) and peak resident memory (the child's ru_maxrss, from os.wait4);
  load ms      check_file() in this process (no interpreter start-up), median of --runs;
  pure ms      the same with PyYAML's pure-Python parser (the fallback where libyaml is missing).
The baseline is `minimal`: a two-line preset, i.e. interpreter start-up and imports. Target: every
file under 1 s. --pythonpath runs the cli column against another checkout (e.g. the code before
these limits) for comparison; a run that takes over 60 s is cut and shown as '>60'.
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
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from worst_presets import WORST, Worst  # noqa: E402

from tempo_coach.presets import yaml_nodes  # noqa: E402
from tempo_coach.presets.loader import check_file  # noqa: E402

TARGET_S = 1.0
TIMEOUT_S = 60.0


LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
said = child.stdout.read().decode(errors="replace")
usage = os.wait4(child.pid, 0)[2]
print(time.perf_counter() - start, usage.ru_maxrss, said.splitlines()[0] if said else "")
"""
"""Runs the command and reports its wall time and peak RSS. A go-between, because Linux carries the
peak RSS of a process across fork and exec: a child forked straight from this (large) process would
report this process's peak, not its own."""


def run_cli(path: Path, pythonpath: str | None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and first line of output of `tempo-coach check NAME` in a fresh
    process, run in the file's folder (so that --pythonpath, not this checkout, provides tempo_coach)."""
    env = {**os.environ, **({"PYTHONPATH": pythonpath} if pythonpath else {})}
    command = [sys.executable, "-c", LAUNCHER, sys.executable, "-m", "tempo_coach", "check", path.name]
    try:
        done = subprocess.run(command, env=env, cwd=path.parent, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return float("inf"), float("nan"), "(cut at 60 s)"
    seconds, kilobytes, said = done.stdout.split(" ", 2)
    return float(seconds), int(kilobytes) / 1024, said.strip().removeprefix(path.name)


def in_process_ms(path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        check_file(path)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def with_pure_parser(measure: Callable[[], float]) -> float:
    saved = yaml_nodes._EventLoader
    yaml_nodes._EventLoader = yaml.SafeLoader
    try:
        return measure()
    finally:
        yaml_nodes._EventLoader = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pythonpath", help="run the cli column against this checkout instead")
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {platform.platform()} · nproc {os.cpu_count()} · "
          f"Python {platform.python_version()} · PyYAML {yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'})"
          f"{f' · cli from {args.pythonpath}' if args.pythonpath else ''}")
    files: dict[str, Worst] = {"minimal": Worst(lambda: "tempo: 2-1-1-1\n", "ok"), **WORST}
    print(f"{'file':<26} {'bytes':>9} {'cli s':>7} {'cli MB':>7} {'load ms':>8} {'pure ms':>8}  what the cli said")
    worst_s = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, worst in files.items():
            path = Path(folder) / f"{name}.yaml"
            path.write_text(worst.text(), encoding="utf-8")
            cli = [run_cli(path, args.pythonpath) for _ in range(args.runs)]
            seconds, peak_mb, said = statistics.median(s for s, _, _ in cli), max(mb for _, mb, _ in cli), cli[0][2]
            load_ms = in_process_ms(path, args.runs)
            pure_ms = with_pure_parser(lambda: in_process_ms(path, 1))
            worst_s = max(worst_s, seconds)
            shown = f"{seconds:7.2f}" if seconds < TIMEOUT_S else f"{'>60':>7}"
            print(f"{name:<26} {path.stat().st_size:>9,} {shown} {peak_mb:7.1f} {load_ms:8.1f} {pure_ms:8.1f}  {said[:60]}")
    print(f"slowest: {worst_s:.2f} s (target under {TARGET_S:g} s): {'met' if worst_s < TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
