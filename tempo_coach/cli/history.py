"""`tempo-coach history`: what the lifter did, newest first, as a table, CSV or JSON.

Also the `--history PATH` option, which every command reads through `history_path_from(args)`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tempo_coach import paths
from tempo_coach.core.text import columns, plural
from tempo_coach.history.store import HistoryError, HistoryStore, WorkoutRecord

ENV_VAR = "TEMPO_COACH_HISTORY"
CSV_FIELDS = ("started_at", "preset", "tempo", "set", "reps_done", "reps_target", "tut_s", "fallback_rep", "completed")
_RELATIVE = re.compile(r"^(\d+)\s*([dw])$", re.IGNORECASE)


class _HistoryPath(argparse.Action):
    """`--history PATH` in any position (top level or after the command) sets `history`."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None) -> None:
        setattr(namespace, "history", Path(values).expanduser())


def history_path_from(args: argparse.Namespace) -> Path | None:
    """The history named by `--history`; None for the default ($TEMPO_COACH_HISTORY, else the data folder)."""
    path: Path | None = getattr(args, "history", None)
    return path


def add_history_option(parser: argparse.ArgumentParser) -> None:
    """`--history PATH` on `parser` (the top level, `run`, `history`: it works in any of them)."""
    parser.add_argument(
        "--history",
        action=_HistoryPath,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help=f"workout history database (default: ${ENV_VAR}, else {paths.default_history_path()})",
    )


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """'2026-11-01' (local midnight), '2026-11-01T18:00', or '14d' / '4w' ago."""
    now = now or datetime.now().astimezone()
    relative = _RELATIVE.match(text.strip())
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2).lower()
        return now - timedelta(days=amount * (7 if unit == "w" else 1))
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (2026-11-01), a time (2026-11-01T18:00) or an age (14d, 4w)") from None
    return moment if moment.tzinfo else moment.astimezone()


def add_history_parser(subparsers: Any) -> argparse.ArgumentParser:
    summary = "past workouts and sets, newest first (table, --csv or --json)"
    history: argparse.ArgumentParser = subparsers.add_parser("history", help=summary, description=f"tempo-coach history: {summary}.")
    history.add_argument("--preset", metavar="NAME", help="only this preset (the name given to `run`, e.g. leg-press)")
    history.add_argument("--since", type=parse_since, metavar="DATE", help="only workouts since DATE: 2026-11-01, or 14d / 4w ago")
    history.add_argument("--limit", type=int, metavar="N", help="only the newest N workouts")
    form = history.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="one CSV row per set")
    form.add_argument("--json", action="store_true", help="a JSON list of workouts, each with its sets")
    add_history_option(history)
    return history


def run_history(args: argparse.Namespace) -> int:
    path = history_path_from(args) or paths.history_path()
    if not path.exists():
        print(f"no workout history yet ({path})", file=sys.stderr)
        workouts: list[WorkoutRecord] = []
    else:
        try:
            with HistoryStore.open(path) as store:
                if store.notice:
                    print(store.notice, file=sys.stderr)
                workouts = store.workouts(preset=args.preset, since=args.since, limit=args.limit)
        except HistoryError as error:
            print(f"tempo-coach: error: {error}", file=sys.stderr)
            return 1
    try:
        if args.json:
            json.dump([w.as_json() for w in workouts], sys.stdout, indent=2, ensure_ascii=False)
            print()
        elif args.csv:
            write_csv(workouts, sys.stdout)
        elif not workouts and (args.preset or args.since):
            print("no workouts match" + (f" --preset {args.preset}" if args.preset else "") + (" --since" if args.since else ""))
        else:
            print_table(workouts)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def write_csv(workouts: Sequence[WorkoutRecord], out: Any) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for workout in workouts:
        started = workout.started_at.isoformat(timespec="milliseconds")
        for s in workout.sets:
            fields = s.as_json()
            writer.writerow([started, workout.preset, workout.tempo, *(_csv_cell(fields[k]) for k in CSV_FIELDS[3:])])


def _csv_cell(value: object) -> object:
    """None as an empty cell, booleans as true/false (as in the JSON)."""
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else value


def table_rows(workouts: Sequence[WorkoutRecord]) -> list[tuple[str, ...]]:
    """Header, then one row per set; the workout's date, preset and tempo only on its first set."""
    rows: list[tuple[str, ...]] = [("STARTED", "PRESET", "TEMPO", "SET", "REPS", "TUT", "FALLBACK", "")]
    for workout in workouts:
        first = (workout.started_at.astimezone().strftime("%Y-%m-%d %H:%M"), workout.preset, workout.tempo)
        for i, s in enumerate(workout.sets):
            target = "" if s.reps_target is None else f"/{s.reps_target}"
            rows.append(
                (
                    *(first if i == 0 else ("", "", "")),
                    str(s.set),
                    f"{s.reps_done}{target}",
                    f"{s.tut_s:.1f} s",
                    "-" if s.fallback_rep is None else f"rep {s.fallback_rep}",
                    "" if s.completed else "cut short",
                )
            )
    return rows


def print_table(workouts: Sequence[WorkoutRecord]) -> None:
    if not workouts:
        print("no workouts recorded")
        return
    print("\n".join(columns(table_rows(workouts), right={3, 4, 5})))
    sets = sum(len(w.sets) for w in workouts)
    print(f"{plural(len(workouts), 'workout')}, {plural(sets, 'set')}")
