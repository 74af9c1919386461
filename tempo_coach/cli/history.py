"""`tempo-coach history`: what the lifter did, newest first, as a table, CSV or JSON.

The history is opened read-only (nothing is created, moved or changed) and streamed: one workout at
a time goes from SQLite to the output, so a history of 100 000 workouts prints in well under a
second. Names and paths from the database or the command line are printed with control characters
escaped (`printable`), so a preset called "\\x1b[2J" cannot clear the terminal.

Also the `--history PATH` option: given on the command line it sets $TEMPO_COACH_HISTORY, which
`paths.history_path()` reads, so the app, this command and any child process agree on the file.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from tempo_coach import paths
from tempo_coach.core.text import columns, plural, printable
from tempo_coach.history import HistoryError, HistoryStore, WorkoutRecord
from tempo_coach.history.store import Extent

ENV_VAR = "TEMPO_COACH_HISTORY"
CSV_FIELDS = ("started_at", "preset", "tempo", "set", "reps_done", "reps_target", "tut_s", "fallback_rep", "completed")
TABLE_HEADER = ("STARTED", "PRESET", "TEMPO", "SET", "REPS", "TUT", "FALLBACK", "")
MAX_LIMIT = 2**63 - 1
"""SQLite's largest integer: no history holds more workouts."""
_AGE = re.compile(r"(\d+)\s*([hdwy])", re.IGNORECASE | re.ASCII)
_AGE_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1), "y": timedelta(days=365)}
_ROWS_AT_ONCE = 2000
_JSON_CONTROLS = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}
"""DEL and C1: json.dumps(ensure_ascii=False) leaves them raw, and a terminal may act on them."""


class _HistoryPath(argparse.Action):
    """Store nothing in the namespace; point $TEMPO_COACH_HISTORY at the path instead."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None) -> None:
        if not values:
            raise argparse.ArgumentError(self, "the path is empty")
        os.environ[ENV_VAR] = str(Path(values).expanduser())


def add_history_option(parser: argparse.ArgumentParser) -> None:
    """`--history PATH` on `parser` (the top level, `run`, `history`: it works in any of them)."""
    parser.add_argument(
        "--history",
        action=_HistoryPath,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help=f"workout history database (default: ${ENV_VAR}, else {paths.default_history_path()})",
    )


def parse_limit(text: str) -> int | None:
    """A count of workouts, 0 or more; 0 means all (None)."""
    digits = text.strip()
    if digits.startswith("-") and digits[1:].isdigit():
        raise argparse.ArgumentTypeError(f"{_echo(text)} must not be negative (0: all workouts)")
    if not (digits.isascii() and digits.isdigit()):
        raise argparse.ArgumentTypeError(f"{_echo(text)} is not a whole number (0 or more; 0: all workouts)")
    if len(digits) > 19 or int(digits) > MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{_echo(text)} is more workouts than a history can hold (at most {MAX_LIMIT}; 0: all)")
    return int(digits) or None


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """'2026-11-01' (local midnight), '2026-11-01T18:00', 'today', or an age: '12h', '14d', '4w', '1y'."""
    now = now or datetime.now().astimezone()
    wanted = text.strip()
    if wanted.lower() == "today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    age = _AGE.fullmatch(wanted)
    if age:
        try:
            return now - int(age.group(1)) * _AGE_UNITS[age.group(2).lower()]
        except (OverflowError, ValueError):  # past year 1, or more digits than int() takes
            raise argparse.ArgumentTypeError(f"{_echo(text)} goes back before the calendar starts") from None
    try:
        moment = datetime.fromisoformat(wanted)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{_echo(text)} is not a date (2026-11-01), a time (2026-11-01T18:00), today or an age (12h, 14d, 4w, 1y)"
        ) from None
    try:
        moment = moment if moment.tzinfo else moment.astimezone()
        moment.astimezone(UTC)  # as the history stores it
    except (OverflowError, ValueError):
        raise argparse.ArgumentTypeError(f"{_echo(text)} is at the very edge of the calendar") from None
    return moment


def _echo(text: str) -> str:
    """The user's argument, quoted and escaped; a huge one by its length."""
    return repr(text) if len(text) <= 40 else f"a {len(text)}-character value"


def add_history_parser(subparsers: Any) -> argparse.ArgumentParser:
    history: argparse.ArgumentParser = subparsers.add_parser("history", help="past workouts and sets, newest first (table, --csv or --json)")
    history.add_argument("--preset", metavar="NAME", help="only this preset (the name given to `run`, e.g. leg-press)")
    history.add_argument("--since", type=parse_since, metavar="DATE", help="only workouts since DATE: 2026-11-01, today, or an age: 12h, 14d, 4w, 1y")
    history.add_argument("--limit", type=parse_limit, metavar="N", help="only the newest N workouts (0: all, the default)")
    form = history.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="one CSV row per set")
    form.add_argument("--json", action="store_true", help="a JSON list of workouts, each with its sets")
    add_history_option(history)
    return history


def run_history(args: argparse.Namespace) -> int:
    path = paths.history_path()
    try:
        store = HistoryStore.open_for_reading(path)
        if store is None:
            print(f"no workout history yet ({printable(str(path))})", file=sys.stderr)
            _write(args, iter(()), Extent(), sys.stdout)
        else:
            with store:
                if store.notice:
                    print(store.notice, file=sys.stderr)
                filters = {"preset": args.preset, "since": args.since, "limit": args.limit}
                extent = Extent() if args.json or args.csv else store.extent(**filters)
                _write(args, store.iter_workouts(**filters), extent, sys.stdout)
        sys.stdout.flush()
    except HistoryError as error:
        print(f"tempo-coach: error: history: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _write(args: argparse.Namespace, workouts: Iterator[WorkoutRecord], extent: Extent, out: TextIO) -> None:
    if args.json:
        write_json(workouts, out)
    elif args.csv:
        write_csv(workouts, out)
    elif not extent.presets and (args.preset or args.since):
        shown_preset = f" --preset {printable(args.preset)}" if args.preset else ""
        print(f"no workouts match{shown_preset}" + (" --since" if args.since else ""), file=out)
    else:
        print_table(workouts, extent, out)


def write_json(workouts: Iterable[WorkoutRecord], out: TextIO) -> None:
    """The same text as json.dump(list, indent=2), written one workout at a time."""
    separator = "[\n"
    for workout in workouts:
        text = json.dumps(workout.as_json(), indent=2, ensure_ascii=False)
        out.write(separator + "  " + text.replace("\n", "\n  ").translate(_JSON_CONTROLS))
        separator = ",\n"
    out.write("[]\n" if separator == "[\n" else "\n]\n")


def write_csv(workouts: Iterable[WorkoutRecord], out: TextIO) -> None:
    escape = _escaper()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for workout in workouts:
        start = (workout.started_at.isoformat(timespec="milliseconds"), escape(workout.preset), escape(workout.tempo))
        writer.writerows(
            (*start, s.set, s.reps_done, _cell(s.reps_target), s.tut_s, _cell(s.fallback_rep), "true" if s.completed else "false")
            for s in workout.sets
        )


def _cell(value: int | None) -> int | str:
    return "" if value is None else value


def _escaper() -> Callable[[str], str]:
    """`printable`, remembered: a history repeats the same few preset names and tempos."""
    return functools.lru_cache(maxsize=1024)(printable)


def table_rows(workouts: Iterable[WorkoutRecord]) -> Iterator[tuple[str, ...]]:
    """One row per set; the workout's date, preset and tempo only on its first set."""
    escape = _escaper()
    for workout in workouts:
        first = (f"{workout.started_at.astimezone():%Y-%m-%d %H:%M}", escape(workout.preset), escape(workout.tempo))
        for i, s in enumerate(workout.sets):
            yield (
                *(first if i == 0 else ("", "", "")),
                str(s.set),
                f"{s.reps_done}" if s.reps_target is None else f"{s.reps_done}/{s.reps_target}",
                f"{s.tut_s:.1f} s",
                "-" if s.fallback_rep is None else f"rep {s.fallback_rep}",
                "" if s.completed else "cut short",
            )


def widest_row(extent: Extent) -> tuple[str, ...]:
    """A row as wide as the widest cell of each column (never printed): the table's alignment,
    known before the first row, so rows can be printed as they are read."""
    target = "" if extent.max_reps_target is None else f"/{extent.max_reps_target}"
    return (
        "2026-11-25 18:00",
        max(map(printable, extent.presets), key=len, default=""),
        max(map(printable, extent.tempos), key=len, default=""),
        str(extent.max_set),
        f"{extent.max_reps_done}{target}",
        f"{extent.max_tut_s:.1f} s",
        "-" if extent.max_fallback_rep is None else f"rep {extent.max_fallback_rep}",
        "",
    )


def print_table(workouts: Iterable[WorkoutRecord], extent: Extent, out: TextIO) -> None:
    if not extent.presets:
        print("no workouts recorded", file=out)
        return
    widest, right = widest_row(extent), {3, 4, 5}
    out.write(columns([widest, TABLE_HEADER], right)[1] + "\n")
    rows = table_rows(workouts)
    while chunk := list(islice(rows, _ROWS_AT_ONCE)):
        out.write("\n".join(columns([widest, *chunk], right)[1:]) + "\n")
    print(f"{plural(extent.workouts, 'workout')}, {plural(extent.sets, 'set')}", file=out)
