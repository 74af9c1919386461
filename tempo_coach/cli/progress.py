"""`tempo-coach progress [EXERCISE] [--json]`: per exercise and session date, top load, reps and
fallback rep per set, volume, estimated 1RM, and the suggestion for next time.

The history is opened read-only, as `tempo-coach history` opens it. The suggestion uses the preset
the exercise was last done with (its fallback's `after_rep` and its increment), found by name among
the lifter's and the shipped presets; a preset that is gone or broken leaves the rule without a
tempo signal, and the unit's increment. Names from the database are printed escaped (`printable`).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import textwrap
from collections.abc import Iterator

from tempo_coach import paths
from tempo_coach.cli.history import add_history_option, history_path_from
from tempo_coach.core.model import Preset
from tempo_coach.core.progress import Suggestion
from tempo_coach.core.text import columns, excerpt, plural, printable
from tempo_coach.history import HistoryStore
from tempo_coach.history.progress import Exercise, SessionProgress, exercises, find_exercise, folded, sessions, suggest

SHOWN_SESSIONS = 10
"""Sessions per exercise in the table (`--json` has every one)."""
WIDTH = 80
HEADER = ("DATE", "TOP LOAD", "REPS (FALLBACK FROM REP)", "VOLUME", "E1RM (EST.)")


def add_progress_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    summary = "per exercise: top load, reps, fallback rep, volume and estimated 1RM per session, and what to lift next"
    parser = subparsers.add_parser("progress", help=summary, description=f"tempo-coach progress: {summary}.")
    parser.add_argument("exercise", nargs="?", metavar="EXERCISE", help="only this exercise (any case), e.g. 'leg press'")
    parser.add_argument("--json", action="store_true", help="a JSON list of exercises, one a line, each with every session")
    add_history_option(parser)


def run_progress(args: argparse.Namespace) -> int:
    path = history_path_from(args) or paths.history_path()
    store = HistoryStore.open_for_reading(path)
    if store is None:
        if args.exercise is not None:
            return _unknown(args.exercise, [])
        print(f"no workout history yet ({printable(str(path))})", file=sys.stderr)
        print("[]" if args.json else "no workouts recorded")
        return 0
    with store:
        if store.notice:
            print(store.notice, file=sys.stderr)
        known = exercises(store)
        chosen = known
        if args.exercise is not None:
            found = find_exercise(store, args.exercise)
            if found is None:
                return _unknown(args.exercise, known)
            chosen = [found]
        limit = None if args.json else SHOWN_SESSIONS + 1  # one more: are there earlier ones?
        reports = [(e, sessions(store, e, limit), suggest(store, e, _preset(e))) for e in chosen]
    lines = _json(reports) if args.json else _table(reports)
    sys.stdout.writelines(lines)
    return 0


def _unknown(name: str, known: list[Exercise]) -> int:
    names = {folded(e.name): e.name for e in known}
    close = difflib.get_close_matches(folded(name), list(names), n=1) if len(name) <= 100 else []
    hint = f"; did you mean {printable(repr(names[close[0]]))}?" if close else ""
    listed = ", ".join(printable(e.name) for e in known[:10]) or "none yet"
    print(f"tempo-coach: error: no exercise {printable(repr(excerpt(name)))} in the history{hint} (exercises: {listed})", file=sys.stderr)
    return 2


def _preset(exercise: Exercise) -> Preset | None:
    """The preset the exercise was last done with, by name (never a path from the database).
    The presets (and YAML) are imported here: every other command, `history` above all, starts
    faster without them."""
    from tempo_coach.presets import catalog
    from tempo_coach.presets.loader import PresetError, load_preset

    entry = next((e for e in catalog.entries() if e.id == exercise.presets[0]), None)
    try:
        return load_preset(entry.path) if entry else None
    except PresetError:
        return None


Report = tuple[Exercise, list[SessionProgress], Suggestion]


def _json(reports: list[Report]) -> Iterator[str]:
    opening = "[\n"
    for exercise, found, advice in reports:
        item = {
            "exercise": exercise.name,
            "sessions": [_session_json(s) for s in found],
            "suggestion": {
                "load": advice.load.amount if advice.load else None,
                "unit": advice.load.unit.value if advice.load else None,
                "bodyweight": bool(advice.load and advice.load.bodyweight),
                "change": advice.change,
                "reason": advice.reason,
            },
        }
        yield opening + json.dumps(item).replace("\x7f", "\\u007f")  # ASCII out: only DEL is left to escape
        opening = ",\n"
    yield "[]\n" if opening == "[\n" else "\n]\n"


def _session_json(session: SessionProgress) -> dict[str, object]:
    top = session.top_load
    return {
        "date": session.day.isoformat(),
        "top_load": top.amount if top else None,
        "unit": top.unit.value if top else None,
        "bodyweight": bool(top and top.bodyweight),
        "reps": session.reps,
        "fallback_reps": session.fallback_reps,
        "volume": session.volume,
        "estimated_1rm": session.estimated_1rm,
    }


def _table(reports: list[Report]) -> Iterator[str]:
    if not reports:
        yield "no workouts recorded\n"
    for number, (exercise, found, advice) in enumerate(reports):
        if number:
            yield "\n"
        yield printable(exercise.name) + f"  ({', '.join(map(printable, exercise.presets))})\n"
        rows = [HEADER, *(_row(s) for s in reversed(found[-SHOWN_SESSIONS:]))]
        yield from (line + "\n" for line in columns(rows, right={3, 4}))
        if len(found) > SHOWN_SESSIONS:
            yield f"(the latest {plural(SHOWN_SESSIONS, 'session')}; --json has every one)\n"
        yield textwrap.fill(f"next time: {advice.reason}", WIDTH, subsequent_indent="  ") + "\n"


def _row(session: SessionProgress) -> tuple[str, ...]:
    top = session.top_load
    return (
        session.day.isoformat(),
        str(top) if top else "-",
        " ".join(f"{s.reps_done}" if s.fallback_rep is None else f"{s.reps_done}({s.fallback_rep})" for s in session.working) or "-",
        "-" if session.volume is None else f"{session.volume:,.0f}",
        "-" if session.estimated_1rm is None else f"{session.estimated_1rm:.1f}",
    )
