"""`tempo-coach history`: what the lifter did, newest first, as a table, CSV or JSON; and
`history delete ID` / `history edit ID` to put a wrong entry right (never asking: scripts use them).

The history is opened read-only (nothing is created, moved or changed) and streamed: one workout at
a time goes from SQLite to the output (`history.export`), so a history of 100 000 workouts prints in
well under a second. Names and paths from the database or the command line are printed with
control characters escaped (`printable`), so a preset called "\\x1b[2J" cannot clear the terminal.

Also the `--history PATH` option, which every command reads through `history_path_from(args)`.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tempo_coach import paths
from tempo_coach.cli.arguments import field_type
from tempo_coach.core.fields import FieldError
from tempo_coach.core.load import Unit, parse_load, parse_unit
from tempo_coach.core.model import MAX_REPS
from tempo_coach.core.text import plural, printable
from tempo_coach.history import HistoryError, HistoryStore, WorkoutRecord, export
from tempo_coach.history.corrections import Correction, change_text, chosen_set, corrected, load_of
from tempo_coach.history.files import existing_file
from tempo_coach.history.store import Selection

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
    summary = "past workouts and sets, newest first (table, --csv or --json); delete or edit a wrong entry"
    history: argparse.ArgumentParser = subparsers.add_parser("history", help=summary, description=f"tempo-coach history: {summary}.")
    history.add_argument("--preset", metavar="NAME", help="only this preset (the name given to `run`, e.g. leg-press)")
    history.add_argument("--exercise", metavar="NAME", help="only this exercise (e.g. 'leg press'; any case)")
    history.add_argument("--since", type=parse_since, metavar="DATE", help="only workouts since DATE: 2026-11-01, today, or an age: 12h, 14d, 4w, 1y")
    history.add_argument("--limit", type=parse_limit, metavar="N", help="only the newest N workouts (0: all, the default)")
    form = history.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="one CSV row per set")
    form.add_argument("--json", action="store_true", help="a JSON list of workouts, one a line, each with its sets")
    add_history_option(history)
    corrections = history.add_subparsers(dest="action", metavar="{delete,edit}", parser_class=type(history))
    delete = corrections.add_parser("delete", help="delete workout ID (the ID column), or one of its sets")
    edit = corrections.add_parser("edit", help="correct the load (or unit) of workout ID's working sets, or one set's load or reps")
    for parser in (delete, edit):
        parser.add_argument("id", type=_count("a workout ID"), metavar="ID", help="the workout's id (the ID column of `tempo-coach history`)")
        parser.add_argument("--set", dest="set_no", type=_count("a set number"), metavar="N", help="only set N of it")
        add_history_option(parser)
    edit.add_argument("--load", type=_checked_load, metavar="LOAD", help="the load: 100, 102.5 kg, 225 lb, bw, bw+10 (without --set: every working set)")
    edit.add_argument("--unit", type=field_type(parse_unit), metavar="UNIT", help="kg or lb: of --load, or alone, the unit the loads were in")
    edit.add_argument("--reps", type=_count("a number of reps", 0, MAX_REPS), metavar="N", help="the reps done (needs --set)")
    return history


def _checked_load(text: str) -> str:
    """The --load text once it parses (the unit it is in is settled per set: `corrections`)."""
    field_type(lambda t: parse_load(t, Unit.KG).unit)(text)
    return text


def _count(what: str, low: int = 1, high: int = MAX_LIMIT) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`."""

    def read(text: str) -> int:
        digits = text.strip()
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 19 or not low <= int(digits) <= high:
            raise argparse.ArgumentTypeError(f"{_echo(text)} is not {what}: a whole number from {low} to {high}")
        return int(digits)

    return read


def run_history(args: argparse.Namespace) -> int:
    path = history_path_from(args) or paths.history_path()
    try:
        if getattr(args, "action", None) is not None:
            return _correct(args, path)
        return _list(args, path)
    except HistoryError as error:
        print(f"tempo-coach: error: history: {error}", file=sys.stderr)
        return 1


def _list(args: argparse.Namespace, path: Path) -> int:
    store = HistoryStore.open_for_reading(path)
    if store is None:
        print(f"no workout history yet ({printable(str(path))})", file=sys.stderr)
        sys.stdout.writelines(_text(args, None, Selection(args.preset, args.since, args.limit)))
        sys.stdout.flush()
        return 0
    with store:
        if store.notice:
            print(store.notice, file=sys.stderr)
        chosen = _selection(args, store)
        if isinstance(chosen, str):
            print(f"tempo-coach history: error: {chosen}", file=sys.stderr)
            return 2
        sys.stdout.writelines(_text(args, store, chosen))
    sys.stdout.flush()
    return 0


def _selection(args: argparse.Namespace, store: HistoryStore) -> Selection | str:
    """The workouts asked for; or, for a --preset or --exercise that matches none but is close to
    a name in the history, the did-you-mean line. An exercise matches in any case."""
    exercises = None
    if args.exercise is not None:
        names = store.names("exercise")
        exercises = tuple(name for name in names if name.casefold() == args.exercise.strip().casefold())
        if not exercises and (close := _closest(args.exercise, names)):
            return f"no workouts of exercise '{printable(args.exercise)}'; did you mean '{printable(close)}'?"
    if args.preset is not None:
        names = store.names("preset")
        if args.preset not in names and (close := _closest(args.preset, names)):
            return f"no workouts of preset '{printable(args.preset)}'; did you mean '{printable(close)}'?"
    return Selection(args.preset, args.since, args.limit, exercises=exercises)


def _closest(wanted: str, names: list[str]) -> str | None:
    """The name most like `wanted`, in any case; None when none is close (or `wanted` is huge)."""
    folded = {name.casefold(): name for name in names}
    close = difflib.get_close_matches(wanted.strip().casefold(), folded, n=1) if len(wanted) <= 100 else []
    return folded[close[0]] if close else None


def _text(args: argparse.Namespace, store: HistoryStore | None, chosen: Selection) -> Iterable[str]:
    """The output, streamed: JSON, CSV or the table (no history yet: an empty one)."""
    if args.json:
        return export.json_text(store, chosen) if store else ["[]\n"]
    if args.csv:
        return export.csv_text(store, chosen) if store else [export.CSV_HEADER]
    return _table(store, chosen, args.exercise)


def _table(store: HistoryStore | None, chosen: Selection, exercise: str | None) -> Iterator[str]:
    lines = iter(()) if store is None else export.table_text(store, chosen)
    header = next(lines, None)
    if header is not None:
        yield header
        yield from lines
    elif chosen.preset or exercise is not None or chosen.since:
        shown_preset = f" --preset {printable(chosen.preset)}" if chosen.preset else ""
        shown_exercise = f" --exercise {printable(exercise)}" if exercise is not None else ""
        yield f"no workouts match{shown_preset}{shown_exercise}" + (" --since" if chosen.since else "") + "\n"
    else:
        yield "no workouts recorded\n"


# ---- corrections ----------------------------------------------------------------------------------


def _correct(args: argparse.Namespace, path: Path) -> int:
    """`history delete` / `history edit`: change the history, then print what changed."""
    correction = Correction(args.set_no, getattr(args, "load", None), getattr(args, "unit", None), getattr(args, "reps", None))
    if args.action == "edit" and (correction.load, correction.unit, correction.reps) == (None, None, None):
        return _usage("edit: nothing to change: give --load, --unit or --reps")
    if correction.reps is not None and correction.set_no is None:
        return _usage("edit: --reps needs --set N (which set's reps)")
    if existing_file(path) is None:
        raise HistoryError(f"no workout history yet ({printable(str(path))})")
    with HistoryStore.open(path) as store:
        if store.notice:
            print(store.notice, file=sys.stderr)
        workout = store.workout(args.id)
        if workout is None:
            raise HistoryError(f"no workout {args.id} in {printable(str(path))} (the ID column of `tempo-coach history`)")
        lines = _delete(store, workout, args.set_no) if args.action == "delete" else _edit(store, workout, correction)
    sys.stdout.writelines(line + "\n" for line in lines)
    return 0


def _delete(store: HistoryStore, workout: WorkoutRecord, set_no: int | None) -> list[str]:
    if set_no is None:
        store.delete_workout(workout.id)
        return [f"deleted workout {_described(workout)} and its {plural(len(workout.sets), 'set')}"]
    record = chosen_set(workout, set_no)
    store.delete_set(workout.id, record.set)
    return [f"deleted set {record.set} ({record.reps_done} reps) of workout {_described(workout)}"]


def _edit(store: HistoryStore, workout: WorkoutRecord, correction: Correction) -> list[str]:
    try:
        changes = corrected(workout, correction)
    except FieldError as error:
        raise HistoryError(error.problem) from None
    with store.transaction():
        for before, after in changes:
            reps = after.reps_done if after.reps_done != before.reps_done else None
            store.correct_set(workout.id, after.set, load=load_of(after) if load_of(after) != load_of(before) else None, reps=reps)
    if not changes:
        return [f"workout {_described(workout)}: nothing changed (it was so already)"]
    return [f"workout {_described(workout)}:"] + ["  " + change_text(before, after) for before, after in changes]


def _described(workout: WorkoutRecord) -> str:
    """'12 (leg-press, 2026-11-20 18:30)': the id, and enough to see it is the one meant."""
    return f"{workout.id} ({printable(workout.exercise or workout.preset)}, {workout.started_at.astimezone():%Y-%m-%d %H:%M})"


def _usage(message: str) -> int:
    print(f"tempo-coach history: error: {message}", file=sys.stderr)
    return 2
