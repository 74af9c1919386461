"""Command line: run / presets / check / schema / plan / history. The imperative shell's front door."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from tempo_coach import __version__, paths
from tempo_coach.cli.history import add_history_option, add_history_parser, run_history
from tempo_coach.core.model import (
    MAX_GET_READY_S,
    MAX_REPS,
    MAX_REST_S,
    MAX_SETS,
    Preset,
)
from tempo_coach.core.tempo import (
    TempoError,
    format_seconds,
    parse_tempo,
    seconds_to_ms,
)
from tempo_coach.core.text import columns, plural, printable
from tempo_coach.presets import catalog
from tempo_coach.presets.loader import PresetError, check_file

EPILOG = """\
tempo notation: negative-bottom_hold-positive-top_hold in seconds, e.g. 2-1-1-1 (2 s down, 1 s hold,
1 s up, 1 s hold); decimals (2.5-0.5-1-0), X for explosive (3-1-X-0) and the compact 31X0 work too.

examples:
  tempo-coach                          start screen, leg press selected
  tempo-coach run leg-press --sets 4   straight into the get-ready countdown
  tempo-coach plan leg-press --json    the exact cue timeline, one JSON object per line
  tempo-coach check my-preset.yaml     validate preset files
"""


class _Parser(argparse.ArgumentParser):
    """Errors are one line, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _int_in(lo: int, hi: int, what: str) -> type[int] | object:
    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{what} must be {lo} to {hi}, got {value}")
        return value

    return read


def _seconds_in(hi: float) -> object:
    def read(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
        if not 0 <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be 0 to {hi:g} seconds, got {text}")
        return value

    return read


def _reps(text: str) -> int | str:
    if text.lower() == "amrap":
        return "amrap"
    try:
        return _int_in(1, MAX_REPS, "reps")(text)  # type: ignore[operator, no-any-return]
    except argparse.ArgumentTypeError as error:
        raise argparse.ArgumentTypeError(f"{error} (or amrap: as many as possible)") from None


def _tempo(text: str) -> str:
    try:
        parse_tempo(text)
    except TempoError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _workout_options() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("preset", nargs="?", help="preset name or path to a .yaml file (run: none opens the start screen; plan: leg-press)")
    options.add_argument("--sets", type=_int_in(1, MAX_SETS, "sets"), help="number of sets")
    options.add_argument("--reps", type=_reps, help="reps per set, or 'amrap' (as many as possible)")
    options.add_argument("--rest", type=_seconds_in(MAX_REST_S), metavar="S", help="rest between sets, seconds")
    options.add_argument("--tempo", type=_tempo, metavar="T", help="tempo, e.g. 2-1-1-1 or 31X0")
    options.add_argument("--get-ready", type=_seconds_in(MAX_GET_READY_S), metavar="S", help="countdown before each set, seconds")
    return options


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tempo-coach",
        description="A rep-tempo coach for the terminal: paces every rep, beeps each phase, counts reps and sets, times rest.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_history_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    workout = _workout_options()

    run = sub.add_parser("run", parents=[workout], help="coach a workout (no preset: the start screen)")
    run.add_argument("--mute", action="store_true", help="no sound; visual cues only")
    run.add_argument("--cue-log", type=Path, metavar="FILE", help="write one JSON line per cue to FILE")
    run.add_argument("--audio-offset", type=float, metavar="MS", help="play sounds MS early (Bluetooth latency)")
    run.add_argument("--sound-test", action="store_true", help="play every cue once with its name, then exit")
    add_history_option(run)

    sub.add_parser("presets", help="list presets: name, tempo, sets x reps, source")

    check = sub.add_parser("check", help="validate preset files (exit 1 if any is invalid)")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    sub.add_parser("schema", help="print the JSON Schema for preset files")

    plan = sub.add_parser("plan", parents=[workout], help="print the exact cue timeline without running it")
    plan.add_argument("--fallback-at", type=_int_in(1, MAX_REPS, "--fallback-at"), metavar="REP", help="use the fallback from rep REP on")
    plan.add_argument("--json", action="store_true", help="one JSON object per line")

    add_history_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["run"])
    try:
        return int(COMMANDS[args.command](args))
    except PresetError as error:
        print(error, file=sys.stderr)
    except (catalog.UnknownPreset, ValueError) as error:
        print(f"tempo-coach: error: {error}", file=sys.stderr)
    except BrokenPipeError:  # `tempo-coach plan --json | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1


def load_with_overrides(args: argparse.Namespace, preset: Preset | None = None) -> Preset:
    """The named preset (or `preset`) with the command line's --sets, --reps, ... applied."""
    preset = preset or catalog.find(args.preset or catalog.DEFAULT_PRESET)
    changes: dict[str, object] = {}
    if args.sets is not None:
        changes["sets"] = args.sets
    if args.reps is not None:
        changes["reps"] = None if args.reps == "amrap" else args.reps
    if args.rest is not None:
        changes["rest_ms"] = seconds_to_ms(args.rest)
    if args.get_ready is not None:
        changes["get_ready_ms"] = seconds_to_ms(args.get_ready)
    if args.tempo is not None:
        changes["tempo"] = parse_tempo(args.tempo, preset.explosive_ms / 1000)
    fallback_at = getattr(args, "fallback_at", None)
    if fallback_at is not None:
        if preset.fallback is None:
            raise ValueError(f"preset {preset.id!r} has no fallback to start at rep {fallback_at}")
        changes["fallback"] = dataclasses.replace(preset.fallback, after_rep=fallback_at - 1)
    preset = dataclasses.replace(preset, **changes)
    fallback_tempo = preset.fallback_tempo
    if fallback_tempo is not None and fallback_tempo.rep_ms == 0:
        raise ValueError(f"--tempo {preset.tempo} with {preset.id}'s fallback is {fallback_tempo}: zero seconds a rep")
    return preset


def cmd_run(args: argparse.Namespace) -> int:
    from tempo_coach.presets.config import (
        check_offset_ms,
        load_config,
        resolve_offset_ms,
    )

    try:
        preset = load_with_overrides(args)
    except PresetError:
        if args.preset is not None or args.sound_test:
            raise
        # The start screen lists the lifter's broken default as invalid, with its error; it opens
        # on the shipped default meanwhile rather than not at all.
        preset = load_with_overrides(args, catalog.shipped_default())
    if args.audio_offset is not None:
        check_offset_ms(args.audio_offset)
    # From here on args.audio_offset is the offset to use, in ms: the flag, else the config file's.
    args.audio_offset = resolve_offset_ms(args.audio_offset, load_config())
    if args.sound_test:
        return sound_test(preset, args)
    from tempo_coach.tui.app import run_app

    return run_app(preset, args)


def sound_test(preset: Preset, args: argparse.Namespace) -> int:
    """Play every cue once, with its name and meaning, without the TUI."""
    import time

    from tempo_coach.audio.backends import open_backend
    from tempo_coach.core.cue_names import CUE_NAMES

    def ring() -> None:
        sys.stdout.write("\a")
        sys.stdout.flush()

    backend = open_backend(preset, mute=args.mute, ring=ring)
    print(f"sound: {backend.name} — {backend.notice}")
    try:
        for name, meaning in CUE_NAMES.items():
            print(f"  {name:<12} {meaning}", flush=True)
            backend.play(name, preset.volume)
            time.sleep(1.0)
    finally:
        backend.close()
    return 0


def cmd_presets(args: argparse.Namespace) -> int:
    rows = [("NAME", "TEMPO", "SETS×REPS", "REST", "SOURCE")]
    for entry in catalog.entries():
        try:
            p = catalog.load_preset(entry.path)
        except PresetError as error:
            rows.append((entry.id, "invalid", "", "", f"{entry.source}: {error}"))
            continue
        rows.append((p.id, str(p.tempo), f"{p.sets}×{p.reps_text}", f"{format_seconds(p.rest_ms)} s", f"{entry.source} ({entry.path})"))
    print("\n".join(columns(rows)))
    print(f"\nYour own presets go in {paths.user_presets_dir()} (copy one there and edit it).")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Every file checked, whatever the others hold: `PATH: ok` on stdout, or its one error line on
    stderr; warnings (`PATH:LINE:COL: warning: ...`) on stderr too, without failing the check."""
    invalid = 0
    for path in args.paths:
        error, warnings = check_file(path)
        for warning in warnings:
            print(warning, file=sys.stderr)
        if error is None:
            noted = f" ({plural(len(warnings), 'warning')})" if warnings else ""
            print(f"{printable(str(path))}: ok{noted}")
        else:
            invalid += 1
            print(error, file=sys.stderr)
    return 1 if invalid else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from tempo_coach.presets.schema import preset_schema

    print(json.dumps(preset_schema(), indent=2, ensure_ascii=False))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from tempo_coach.core.plan import plan

    preset = load_with_overrides(args)
    timeline = plan(preset)
    if args.json:
        for row in timeline.rows:
            print(json.dumps(row.as_json()))
        return 0
    print(f"{preset.id}: tempo {preset.tempo}, {preset.sets}×{preset.reps_text}, rest {format_seconds(preset.rest_ms)} s")
    for row in timeline.rows:
        where = f"set {row.set}" if row.set else ""
        where += f" rep {row.rep}" if row.rep else ""
        print(f"{row.t:9.2f}  {row.phase.label:<12} {where:<16} {row.duration:6.2f} s")
    print(f"total {_clock(timeline.total)}, time under tension {_clock(timeline.time_under_tension)}")
    return 0


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:05.2f}"


COMMANDS = {"run": cmd_run, "presets": cmd_presets, "check": cmd_check, "schema": cmd_schema, "plan": cmd_plan, "history": run_history}
