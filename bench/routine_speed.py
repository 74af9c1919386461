"""How long `tempo-coach check` takes on the worst routines, and the cost of telling routines apart.

    .venv/bin/python bench/routine_speed.py [--runs 3]

A routine is small, but it makes the loader read other files: every preset it lists. The worst
routines here list the worst valid preset (tests/worst_presets.py's every-field-full, just under
1 MB) as often as the limits let them, each time spelt differently (`p.yaml`, `d/../p.yaml`, ...),
or are padded to just under 1 MB themselves. For each, in the same run:
  cli s     the real command in a fresh process (bench/check_speed.py's launcher), median of --runs;
  load ms   catalog.check_file() in this process, median of --runs.
Baselines in the same run: `minimal` (a one-exercise routine: start-up and imports) and
`one-worst` (the worst preset listed once). Target: every file under 1 s.

Then the presets folders as the start screen and `tempo-coach presets` read them: catalog.entries()
(which now reads each file's top-level keys to leave routines out) beside folders.all_entries()
(the file names alone, what entries() did before).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from check_speed import TARGET_S, run_cli  # noqa: E402
from worst_presets import every_field_full  # noqa: E402

from tempo_coach.presets import catalog, folders  # noqa: E402
from tempo_coach.presets.yaml_nodes import MAX_FILE_BYTES, MAX_ITEMS, MAX_NODES  # noqa: E402


def spelt(n: int) -> str:
    """The n-th spelling of p.yaml in the same folder: p.yaml, d/../p.yaml, d/../d/../p.yaml, ..."""
    return "d/../" * n + "p.yaml"


def routines() -> dict[str, str]:
    members = (MAX_NODES - 10) // 8  # a member mapping with its key and value, in a superset of three nodes more
    per_superset = min(MAX_ITEMS, members)
    supersets = "".join(
        "  - superset:\n" + "".join(f"      - preset: {spelt(s * per_superset + m)}\n" for m in range(per_superset))
        for s in range(max(1, members // per_superset))
    )
    padded = "name: Padded\nexercises:\n  - preset: leg-press\n  - preset: push-up\n"
    return {
        "minimal": "exercises:\n  - preset: leg-press\n",
        "one-worst": "exercises:\n  - preset: p.yaml\n",
        "fifty-spellings": "exercises:\n" + "".join(f"  - preset: {spelt(n)}\n" for n in range(MAX_ITEMS)),
        "supersets-full": "exercises:\n" + supersets,
        "fifty-shipped-names": "exercises:\n" + "".join(f"  - preset: {name}\n" for name in ["leg-press", "push-up"] * (MAX_ITEMS // 2)),
        "padded-1mb": padded + "#" + "x" * (MAX_FILE_BYTES - len(padded) - 3) + "\n",
    }


def median_ms(measure: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        measure()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    print(f"{'routine':<22} {'bytes':>9} {'cli s':>7} {'load ms':>8}  what the cli said")
    worst_s = 0.0
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "p.yaml").write_text(every_field_full(), encoding="utf-8")
        (Path(folder) / "d").mkdir()
        for name, text in routines().items():
            path = Path(folder) / f"{name}.yaml"
            path.write_text(text, encoding="utf-8")
            seconds = statistics.median(run_cli(path, None)[0] for _ in range(args.runs))
            said = run_cli(path, None)[2]
            load_ms = median_ms(lambda: catalog.check_file(path), args.runs)
            worst_s = max(worst_s, seconds)
            print(f"{name:<22} {path.stat().st_size:>9,} {seconds:7.2f} {load_ms:8.1f}  {said[:50]}")
    print(f"slowest: {worst_s:.2f} s (target under {TARGET_S:g} s): {'met' if worst_s < TARGET_S else 'NOT met'}")
    names = median_ms(folders.all_entries, args.runs * 5)
    kinds = median_ms(catalog.entries, args.runs * 5)
    count = len(folders.all_entries())
    print(f"presets folders ({count} files): names only {names:.1f} ms, presets apart from routines {kinds:.1f} ms")


if __name__ == "__main__":
    main()
