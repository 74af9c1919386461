"""Command line: run / presets / check / schema / plan / history. The imperative shell's front door."""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import tempo_coach
from tempo_coach import paths
from tempo_coach.cli.history import (
    add_history_option,
    add_history_parser,
    history_path_from,
    run_history,
)
from tempo_coach.cli.progress import add_progress_parser, run_progress
from tempo_coach.cli.terminal import NoTerminal, check_terminal, run_in_terminal
from tempo_coach.core.model import Preset
from tempo_coach.cli.arguments import field_type
from tempo_coach.core.fields import FieldError
from tempo_coach.core.overrides import (
    Overrides,
    parse_audio_offset,
    parse_fallback_at,
    parse_get_ready,
    parse_reps,
    parse_rest,
    parse_sets,
    parse_tempo_text,
)
from tempo_coach.core.plan import MAX_TIMED_REPS, TooManyReps, Unplannable, routine_seconds
from tempo_coach.core.routine import Block, Routine, block_plans
from tempo_coach.core.tempo import REP_PHASES, Phase, format_seconds
from tempo_coach.core.text import columns, plural, printable
from tempo_coach.history import HistoryError
from tempo_coach.history.files import existing_file
from tempo_coach.presets import catalog
from tempo_coach.presets.config import Config
from tempo_coach.presets.loader import PresetError, load_preset
from tempo_coach.core.load import UNITS, Unit, parse_load
from tempo_coach.core.model import VOICES, Voice
from tempo_coach.runtime.options import BACKENDS, RunOptions

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


class _Version(argparse.Action):
    """`--version`, with the version looked up only when asked for (it costs every command 25 ms)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None) -> None:
        print(f"{parser.prog} {tempo_coach.__version__}")
        parser.exit()


class UsageError(Exception):
    """The command cannot do what was asked (a cue log that cannot be written, no terminal):
    one line on stderr and exit 2, like an argparse error."""


def _workout_options() -> _Parser:
    options = _Parser(add_help=False)
    options.add_argument("preset", nargs="?", help="preset name or path to a .yaml file (run: none opens the start screen; plan: leg-press)")
    options.add_argument("--sets", type=field_type(parse_sets), help="number of sets")
    options.add_argument("--reps", type=field_type(parse_reps), help="reps per set, or 'amrap' (as many as possible)")
    options.add_argument("--rest", type=field_type(parse_rest), metavar="S", help="rest between sets, seconds")
    options.add_argument("--tempo", type=field_type(parse_tempo_text), metavar="T", help="tempo, e.g. 2-1-1-1 or 31X0")
    options.add_argument("--get-ready", type=field_type(parse_get_ready), metavar="S", help="countdown before each set, seconds")
    return options


def _command(sub: Any, name: str, summary: str, parents: Sequence[argparse.ArgumentParser] = ()) -> argparse.ArgumentParser:
    """A subcommand whose one-line summary is both its line in `tempo-coach --help` and the
    description its own `--help` opens with."""
    parser: argparse.ArgumentParser = sub.add_parser(name, parents=list(parents), help=summary, description=f"tempo-coach {name}: {summary}.")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tempo-coach",
        description="A rep-tempo coach for the terminal: paces every rep, beeps each phase, counts reps and sets, times rest.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    add_history_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    workout = _workout_options()

    run = _command(sub, "run", "coach a workout (no preset: the start screen)", parents=[workout])
    run.add_argument("--mute", action="store_true", help="no sound; visual cues only")
    run.add_argument("--cue-log", type=Path, metavar="FILE", help="write one JSON line per cue to FILE")
    run.add_argument("--audio-offset", type=field_type(parse_audio_offset), metavar="MS", help="play sounds MS early (Bluetooth latency)")
    run.add_argument("--sound-test", action="store_true", help="play every cue and say every kind of word once, with its name, then exit")
    run.add_argument("--backend", choices=BACKENDS, default="auto", help="sound: auto (the open stream, else simpleaudio, else the bell), or one of them")
    run.add_argument("--no-keep-awake", dest="keep_awake", action="store_false", default=None, help="no hiss between cues (it keeps Bluetooth speakers awake)")
    run.add_argument("--voice", choices=VOICES, help="what is said aloud: counts (default), phases, full or off")
    run.add_argument("--load", metavar="LOAD", help="the working load: 100, 102.5 kg, 225 lb, bw, bw+10 (a routine: its first exercise's)")
    run.add_argument("--unit", choices=UNITS, help="kg or lb for a load given without one (default: config.yaml's unit:, else kg)")
    add_history_option(run)

    _command(sub, "presets", "list presets (name, tempo, sets x reps, source) and routines")

    check = _command(sub, "check", "validate preset and routine files (exit 1 if any is invalid)")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    _command(sub, "schema", "print the JSON Schema for preset and routine files")

    plan = _command(sub, "plan", "print the exact cue timeline without running it", parents=[workout])
    plan.add_argument("--fallback-at", type=field_type(parse_fallback_at), metavar="REP", help="the fallback from rep REP (a preset's after_rep: N is from rep N+1)")
    plan.add_argument("--json", action="store_true", help="one JSON object per line")

    add_history_parser(sub)
    add_progress_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The error boundary: a broken preset or config is its one line and exit 1, a usage error
    one line and exit 2; anything else is a bug and shows its traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["run"])
    try:
        return int(COMMANDS[args.command](args))
    except PresetError as error:
        print(error, file=sys.stderr)
    except (catalog.UnknownPreset, FieldError, Unplannable) as error:
        print(f"tempo-coach: error: {printable(str(error))}", file=sys.stderr)
    except HistoryError as error:
        print(f"tempo-coach: error: history: {error}", file=sys.stderr)
    except (UsageError, NoTerminal) as error:
        print(f"tempo-coach: error: {printable(str(error))}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `tempo-coach plan --json | head`: the reader has had enough; every
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # command ends the same way
    return 1


def overrides(args: argparse.Namespace) -> Overrides:
    """The command line's --sets, --reps, ... as one value (parsed by argparse already)."""
    return Overrides(
        sets=args.sets,
        reps=args.reps,
        rest_ms=args.rest,
        get_ready_ms=args.get_ready,
        tempo=args.tempo,
        fallback_at=getattr(args, "fallback_at", None),
    )


def load_with_overrides(args: argparse.Namespace, preset: Preset | None = None, unit: Unit = Unit.KG) -> Preset:
    """The named preset (or `preset`) with the command line's overrides applied."""
    return overrides(args).apply(preset or catalog.find(args.preset or catalog.DEFAULT_PRESET, unit))


def run_options(args: argparse.Namespace, config: Config | None = None) -> RunOptions:
    """What `run` was asked for, built once: the app and the session read nothing else. The
    command line wins over config.yaml."""
    from tempo_coach.presets.config import resolve_offset_ms

    config = config or Config()
    unit = Unit(args.unit) if args.unit else config.unit
    try:
        load = parse_load(args.load, unit) if args.load is not None else None
    except FieldError as error:
        raise UsageError(f"argument --load: {error.problem}") from None
    return RunOptions(
        preset=args.preset,
        overrides=overrides(args),
        mute=args.mute,
        cue_log=args.cue_log,
        audio_offset_ms=resolve_offset_ms(args.audio_offset, config),
        flash=config.flash,
        history=history_path_from(args),
        backend=args.backend,
        keep_awake=config.keep_awake if args.keep_awake is None else args.keep_awake,
        voice=Voice(args.voice) if args.voice else None,
        default_voice=config.voice or Voice.COUNTS,
        load=load,
        unit=unit,
    )


def load_workout(args: argparse.Namespace, unit: Unit) -> Preset | Routine:
    """The preset (with the command line's overrides) or the routine named by `args.preset`. A
    routine sets sets, reps, rest and tempo for each exercise, so those options are refused with one."""
    if args.preset is None:
        return load_with_overrides(args, unit=unit)
    workout = catalog.find_workout(args.preset, unit)
    if isinstance(workout, Preset):
        return overrides(args).apply(workout)
    given = [flag for flag in ("sets", "reps", "rest", "tempo", "get_ready", "fallback_at") if getattr(args, flag, None) is not None]
    if given:
        flag = "--" + given[0].replace("_", "-")
        raise UsageError(f"{flag} changes a preset; routine {printable(workout.id)!r} sets it for each exercise in its file")
    return workout


def cmd_run(args: argparse.Namespace) -> int:
    from tempo_coach.history.progress import last_loads
    from tempo_coach.presets.config import load_config
    from tempo_coach.runtime.training import Training

    options = run_options(args, load_config())
    try:
        workout = load_workout(args, options.unit)
    except PresetError:
        if args.preset is not None or args.sound_test:
            raise
        # The start screen lists the lifter's broken default as invalid, with its error; it opens
        # on the shipped default meanwhile rather than not at all.
        workout = load_with_overrides(args, catalog.shipped_default())
    if isinstance(workout, Routine):
        training = Training.of_routine(workout, options.load)
    else:
        training = Training.of_preset(workout, options.load)
    preset = training.preset
    if args.sound_test:
        return sound_test(preset, options)
    history = history_path_from(args) or paths.history_path()
    existing_file(history)  # a folder or a device: refused now
    training.loads.update(last_loads(history, training.exercises))  # where no load is given, the last one used
    check_terminal()
    if args.cue_log is not None:  # after the terminal check: a refused run creates no file
        check_writable(args.cue_log, "--cue-log")
    from tempo_coach.audio.native_stderr import native_stderr_silenced
    from tempo_coach.tui.app import run_app

    def run() -> int:
        with native_stderr_silenced():
            return run_app(preset, options, training)

    return run_in_terminal(run)


def check_writable(path: Path, flag: str) -> None:
    """Refuse, before the workout, what cannot take appended lines: a folder, a read-only file, a
    FIFO (opening it would wait for a reader forever). A device such as /dev/null will do."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise UsageError(f"{flag} {path}: {error.strerror or error}") from None
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISCHR(mode)):
        raise UsageError(f"{flag} {path}: {'a folder' if stat.S_ISDIR(mode) else 'not a regular file'}")
    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as error:
        raise UsageError(f"{flag} {path}: {error.strerror or error}") from None


def sound_test(preset: Preset, options: RunOptions) -> int:
    """Play every cue once, with its name and meaning, then say a word of every kind, without the TUI."""
    import time

    from tempo_coach.audio.choose import open_sound
    from tempo_coach.core.cue_names import CUE_NAMES

    def ring() -> None:
        sys.stdout.write("\a")
        sys.stdout.flush()

    backend = open_sound(preset, options.backend, ring, mute=options.mute, keep_awake=options.keep_awake)
    print(f"sound: {backend.name} — {printable(backend.notice)}")
    spoken = [w for w in SOUND_TEST_WORDS if all(f"voice:{word}" in backend.durations for word in w.removeprefix("voice:").split())]
    try:
        for name, meaning in [*CUE_NAMES.items(), *((w, "said aloud") for w in spoken)]:
            shown = f'"{name.removeprefix("voice:")}"' if name.startswith("voice:") else name
            print(f"  {shown:<12} {meaning}", flush=True)
            backend.play(name, preset.volume)
            time.sleep(1.0)
    finally:
        backend.close()
    return 0


SOUND_TEST_WORDS = ("voice:1", "voice:2", "voice:3", "voice:down", "voice:hold", "voice:up", "voice:top", "voice:set 2", "voice:last-rep", "voice:rest", "voice:done")
"""What `--sound-test` says after the beeps: the counts, the phase words and the set framing."""


def cmd_presets(args: argparse.Namespace) -> int:
    """The presets table, then the routines table; file names are escaped before they are aligned
    (`printable`)."""
    rows = [("NAME", "TEMPO", "SETS×REPS", "REST", "SOURCE")]
    for entry in catalog.entries():
        name = printable(entry.id)
        try:
            p = load_preset(entry.path)
        except PresetError as error:
            rows.append((name, "invalid", "", "", f"{entry.source}: {error}"))
            continue
        rows.append((name, str(p.tempo), f"{p.sets}×{p.reps_text}", f"{format_seconds(p.rest_ms)} s", _source(entry)))
    print("\n".join(columns(rows)))
    routines = catalog.routines()
    if routines:
        print("\n" + "\n".join(columns(_routine_rows(routines), right={2, 3})))
    print(f"\nYour own presets and routines go in {printable(str(paths.user_presets_dir()))} (copy one there and edit it).")
    return 0


def _source(entry: catalog.Entry) -> str:
    return f"{entry.source} ({printable(str(entry.path))})"


def _routine_rows(routines: list[catalog.Entry]) -> list[tuple[str, ...]]:
    """A routine's exercises in order, its number of sets (warm-ups included) and its total time."""
    rows: list[tuple[str, ...]] = [("ROUTINE", "EXERCISES", "SETS", "TIME", "SOURCE")]
    for entry in routines:
        name = printable(entry.id)
        try:
            routine = catalog.find_routine(str(entry.path))
        except PresetError as error:
            rows.append((name, "invalid", "", "", f"{entry.source}: {error}"))
            continue
        plans = [plan for block in routine.blocks for plan in block_plans(block)]
        exercises = printable(", ".join(map(_block_text, routine.blocks)))
        rows.append((name, exercises, str(len(plans)), _routine_time(routine), _source(entry)))
    return rows


def _routine_time(routine: Routine) -> str:
    """The whole session from the first get-ready to the last rep: '41:20'; 'amrap' when a set
    ends when the lifter says so."""
    try:
        seconds = routine_seconds(routine)
    except TooManyReps:
        return f"> {MAX_TIMED_REPS} reps"
    except Unplannable:
        return "amrap"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _block_text(block: Block) -> str:
    """'Leg press ×3 (+2 warm-up)', 'superset: Goblet squat ×3 + Push-up ×3'."""
    text = " + ".join(f"{e.name} ×{e.preset.sets}{f' (+{len(e.warmup)} warm-up)' if e.warmup else ''}" for e in block.exercises)
    return f"superset: {text}" if block.superset else text


def cmd_check(args: argparse.Namespace) -> int:
    """Every file checked, whatever the others hold: `PATH: ok` on stdout, or its one error line on
    stderr; warnings (`PATH:LINE:COL: warning: ...`) on stderr too, without failing the check."""
    invalid = 0
    for path in args.paths:
        error, warnings = catalog.check_file(path)
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
    from tempo_coach.presets.schema import file_schema

    print(json.dumps(file_schema(), indent=2, ensure_ascii=False))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    """The timeline, streamed: the first row is out before the last is computed. A routine's has
    every exercise in turn, each row naming its exercise."""
    from tempo_coach.core.plan import routine_timeline, timeline
    from tempo_coach.presets.config import load_config

    workout = load_workout(args, load_config().unit)
    rows = routine_timeline(workout) if isinstance(workout, Routine) else timeline(workout)
    if args.json:
        sys.stdout.writelines(row.json_line() for row in rows)
        return 0
    print(_plan_heading(workout))
    total = tension = 0.0
    labels = {phase: f"{phase.label:<12}" for phase in Phase}
    in_rep = frozenset(REP_PHASES)
    exercise = ""
    for row in rows:
        if isinstance(workout, Routine) and row.exercise != exercise:
            exercise = row.exercise
            sys.stdout.write(f"{printable(exercise)}\n")
        where = f"{'warm-up' if row.warmup else 'set'} {row.set}" if row.set else ""
        where += f" rep {row.rep}" if row.rep else ""
        sys.stdout.write(f"{row.t:9.2f}  {labels[row.phase]} {where:<16} {row.duration:6.2f} s\n")
        total = row.t + row.duration
        if row.phase in in_rep:
            tension += row.duration
    print(f"total {_clock(total)}, time under tension {_clock(tension)}")
    return 0


def _plan_heading(workout: Preset | Routine) -> str:
    """'leg-press: tempo 2-1-2-1, 3×12, rest 120 s', or 'leg-day: Leg press → Goblet squat → ...'."""
    if isinstance(workout, Routine):
        return f"{printable(workout.id)}: " + " → ".join(printable(block.name) for block in workout.blocks)
    return f"{printable(workout.id)}: tempo {workout.tempo}, {workout.sets}×{workout.reps_text}, rest {format_seconds(workout.rest_ms)} s"


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:05.2f}"


COMMANDS = {"run": cmd_run, "presets": cmd_presets, "check": cmd_check, "schema": cmd_schema, "plan": cmd_plan, "history": run_history, "progress": run_progress}
