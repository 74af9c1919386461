"""`tempo-coach history`: what the lifter did, newest first, as a table, CSV or JSON.

The history is opened read-only (nothing is created, moved or changed) and streamed: one workout at
a time goes from SQLite to the output (`history.export`), so a history of 100 000 workouts prints in
well under a second. Names and paths from the database or the command line are printed with
control characters escaped (`printable`), so a preset called "\\x1b[2J" cannot clear the terminal.

Also the `--history PATH` option, which every command reads through `history_path_from(args)`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tempo_coach import paths
from tempo_coach.core.text import printable
from tempo_coach.history import HistoryError, HistoryStore, export
from tempo_coach.history.export import Selection

ENV_VAR = "TEMPO_COACH_HISTORY"
MAX_LIMIT = 2**63 - 1
"""SQLite's largest integer: no history holds more workouts."""
_AGE = re.compile(r"(\d+)\s*([hdwy])", re.IGNORECASE | re.ASCII)
_AGE_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1), "y": timedelta(days=365)}


class _HistoryPath(argparse.Action):
    """`--history PATH` in any position (top level or after the command) sets `history`."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None) -> None:
        if not values:
            raise argparse.ArgumentError(self, "the path is empty")
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
    summary = "past workouts and sets, newest first (table, --csv or --json)"
    history: argparse.ArgumentParser = subparsers.add_parser("history", help=summary, description=f"tempo-coach history: {summary}.")
    history.add_argument("--preset", metavar="NAME", help="only this preset (the name given to `run`, e.g. leg-press)")
    history.add_argument("--since", type=parse_since, metavar="DATE", help="only workouts since DATE: 2026-11-01, today, or an age: 12h, 14d, 4w, 1y")
    history.add_argument("--limit", type=parse_limit, metavar="N", help="only the newest N workouts (0: all, the default)")
    form = history.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="one CSV row per set")
    form.add_argument("--json", action="store_true", help="a JSON list of workouts, one a line, each with its sets")
    add_history_option(history)
    return history


def run_history(args: argparse.Namespace) -> int:
    path = history_path_from(args) or paths.history_path()
    chosen = Selection(args.preset, args.since, args.limit)
    try:
        store = HistoryStore.open_for_reading(path)
        if store is None:
            print(f"no workout history yet ({printable(str(path))})", file=sys.stderr)
            sys.stdout.writelines(_text(args, None, chosen))
        else:
            with store:
                if store.notice:
                    print(store.notice, file=sys.stderr)
                sys.stdout.writelines(_text(args, store, chosen))
        sys.stdout.flush()
    except HistoryError as error:
        print(f"tempo-coach: error: history: {error}", file=sys.stderr)
        return 1
    return 0


def _text(args: argparse.Namespace, store: HistoryStore | None, chosen: Selection) -> Iterable[str]:
    """The output, streamed: JSON, CSV or the table (no history yet: an empty one)."""
    if args.json:
        return export.json_text(store, chosen) if store else ["[]\n"]
    if args.csv:
        return export.csv_text(store, chosen) if store else [export.CSV_HEADER]
    return _table(store, chosen)


def _table(store: HistoryStore | None, chosen: Selection) -> Iterator[str]:
    lines = iter(()) if store is None else export.table_text(store, chosen)
    header = next(lines, None)
    if header is not None:
        yield header
        yield from lines
    elif chosen.preset or chosen.since:
        shown_preset = f" --preset {printable(chosen.preset)}" if chosen.preset else ""
        yield f"no workouts match{shown_preset}" + (" --since" if chosen.since else "") + "\n"
    else:
        yield "no workouts recorded\n"
