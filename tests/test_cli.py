"""The command line as a lifter uses it: one clear line on failure, an exact plan, readable help."""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_runner import assert_one_line_error, console_script, run_cli

from tempo_coach import __version__, paths
from tempo_coach.core.events import SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.history import HistoryStore


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["run", "no-such-preset"], "no preset named 'no-such-preset'; available: leg-press"),
        (["plan", "no-such-preset"], "no preset named 'no-such-preset'"),
        (["plan", "--tempo", "2-1"], "cannot read tempo '2-1': a tempo has four phases"),
        (["run", "--tempo", "2-1"], "cannot read tempo '2-1': a tempo has four phases"),
        (["plan", "--sets", "0"], "sets must be 1 to 99, got 0"),
        (["plan", "--reps", "0"], "reps must be 1 to 999, got 0"),
        (["plan", "--reps", "many"], "'many' is not a whole number"),
        (["plan", "--rest", "-5"], "must be 0 to 3600 seconds, got -5"),
        (["run", "--audio-offset", "-5"], "argument --audio-offset: -5 is out of range (0 to 1000 ms)"),
        (["run", "--audio-offset", "nan"], "'nan' is not a number of milliseconds from 0 to 1000"),
        (["run", "--audio-offset", "1e308"], "'1e308' is not a number of milliseconds"),
        (["plan", "--rest", "nan"], "'nan' is not a number of seconds from 0 to 3600"),
        (["plan", "--sets", "²"], "'²' is not a whole number from 1 to 99"),
        (["plan", "--sets", "9" * 5000], "'99999999999999999999…' is not a whole number"),
        (["plan", "--fallback-at", "0"], "fallback-at must be 1 to 999, got 0"),
        (["plan", "leg-press-normal", "--fallback-at", "3"], "preset 'leg-press-normal' has no fallback"),
        (["plan", "push-up"], "Push-up: amrap sets end when the lifter says so; give them reps to plan them (--reps N"),
        (["plan", "a" * 300], "no preset named 'aaaa"),
        (["check", "a" * 300 + ".yaml"], "cannot read: File name too long"),
        (["check", "/missing.yaml"], "/missing.yaml:1:1: cannot read: No such file or directory"),
        (["check", "/"], "/:1:1: not a file"),
        (["check"], "the following arguments are required: PATH"),
        (["no-such-command"], "invalid choice: 'no-such-command'"),
    ],
)
def test_failures_are_one_clear_line(args: list[str], phrase: str) -> None:
    line = assert_one_line_error(run_cli(*args))
    assert phrase in line


def plan_rows(*args: str) -> list[dict[str, object]]:
    result = run_cli("plan", *args, "--json")
    assert (result.returncode, result.stderr) == (0, "")
    return [json.loads(line) for line in result.stdout.splitlines()]


def expected_plan(sets: int, reps: int, get_ready: float, rest: float, slow_until: int) -> list[tuple[object, ...]]:
    """The leg press as (phase, set, rep, duration): 2-1-2-1, and a 1 s positive after rep `slow_until`."""
    rows: list[tuple[object, ...]] = []
    rows.append(("get_ready", 1, None, get_ready))  # after a rest, the rest counts down to the set
    for s in range(1, sets + 1):
        for r in range(1, reps + 1):
            positive = 2.0 if r <= slow_until else 1.0
            rows += [("negative", s, r, 2.0), ("bottom_hold", s, r, 1.0), ("positive", s, r, positive)]
            if r < reps:  # the last rep of a set ends at its positive
                rows.append(("top_hold", s, r, 1.0))
        if s < sets:
            rows.append(("rest", s, None, rest))  # rest carries the set just finished
    rows.append(("done", None, None, 0.0))
    return rows


def assert_contiguous(rows: list[dict[str, object]]) -> None:
    assert all(set(row) == {"t", "phase", "set", "rep", "duration", "exercise", "warmup"} for row in rows)
    assert rows[0]["t"] == 0
    for before, row in zip(rows, rows[1:]):
        assert row["t"] == pytest.approx(before["t"] + before["duration"], abs=1e-9), (before, row)


def test_plan_leg_press_json() -> None:
    rows = plan_rows("leg-press")
    assert_contiguous(rows)
    # leg-press.yaml: 3 x 12, get ready 10 s, rest 120 s, fallback to a 1 s positive after rep 8
    assert [(r["phase"], r["set"], r["rep"], r["duration"]) for r in rows] == expected_plan(3, 12, 10.0, 120.0, 8)


@pytest.mark.parametrize("sets", ["1", "3"])
def test_plan_fallback_at_rep_4_in_every_set(sets: str) -> None:
    rows = plan_rows("leg-press", "--fallback-at", "4", "--sets", sets, "--reps", "6")
    assert_contiguous(rows)
    assert [(r["phase"], r["set"], r["rep"], r["duration"]) for r in rows] == expected_plan(int(sets), 6, 10.0, 120.0, 3)
    positives = {(r["set"], r["rep"]): r["duration"] for r in rows if r["phase"] == "positive"}
    assert all(duration == (2.0 if rep < 4 else 1.0) for (_, rep), duration in positives.items())


def test_plan_overrides_apply() -> None:
    rows = plan_rows("leg-press-normal", "--sets", "2", "--reps", "2", "--rest", "30", "--get-ready", "0", "--tempo", "31X0")
    assert_contiguous(rows)
    assert [(r["phase"], r["rep"], r["duration"]) for r in rows if r["set"] == 1][:4] == [
        ("negative", 1, 3.0), ("bottom_hold", 1, 1.0), ("positive", 1, 0.5), ("negative", 2, 3.0)
    ]  # zero-length phases (get ready 0, top hold 0) are skipped
    assert [r["duration"] for r in rows if r["phase"] == "rest"] == [30.0]


def test_plan_text_has_totals() -> None:
    result = run_cli("plan", "leg-press", "--sets", "1", "--reps", "2")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.splitlines()[0] == "leg-press: tempo 2-1-2-1, 1×2, rest 120 s"
    assert result.stdout.splitlines()[-1] == "total 0:21.00, time under tension 0:11.00"


def test_plan_output_into_a_closed_pipe_is_quiet() -> None:
    import subprocess

    from cli_runner import console_script

    shell = f"'{console_script()}' plan leg-press --sets 20 --reps 200 --json | head -1"
    result = subprocess.run(["sh", "-c", shell], capture_output=True, text=True, timeout=60)
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and result.stderr == ""


def test_version() -> None:
    result = run_cli("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"tempo-coach {__version__}\n", "")


def test_help_reads_well() -> None:
    result = run_cli("--help")
    assert result.returncode == 0 and result.stderr == ""
    text = result.stdout
    assert text.startswith("usage: tempo-coach")
    for command in ("run", "presets", "check", "schema", "plan"):
        assert re.search(rf"^\s+{command}\s+\S", text, re.M), command
    assert "2-1-1-1" in text and "31X0" in text and "examples:" in text
    plan_help = run_cli("plan", "--help").stdout
    for option in ("--sets", "--reps", "--rest", "--tempo", "--get-ready", "--fallback-at", "--json"):
        assert re.search(rf"^\s+{option}\b.*\s\S", plan_help, re.M), option


def test_presets_lists_the_shipped_presets_with_source() -> None:
    result = run_cli("presets")
    assert result.returncode == 0 and result.stderr == ""
    table, _routines, footer = result.stdout.split("\n\n")
    assert footer.startswith("Your own presets and routines go in ") and "tempo-coach/presets" in footer
    header, *lines = table.splitlines()
    assert header.split() == ["NAME", "TEMPO", "SETS×REPS", "REST", "SOURCE"]
    shipped = sorted(p.stem for p in paths.shipped_presets_dir().glob("*.yaml") if "exercises:" not in p.read_text())
    assert [line.split()[0] for line in lines][0] == "leg-press"
    assert sorted(line.split()[0] for line in lines) == shipped
    leg_press = lines[0].split()
    assert leg_press[1:3] == ["2-1-2-1", "3×12"]
    assert f"shipped ({paths.shipped_presets_dir() / 'leg-press.yaml'})" in lines[0]


def test_presets_marks_user_presets_and_broken_ones(tmp_path) -> None:
    folder = tmp_path / "tempo-coach" / "presets"
    folder.mkdir(parents=True)
    (folder / "leg-press.yaml").write_text("tempo: 3-1-1-1\nsets: 2\nreps: 5\n")
    (folder / "bad.yaml").write_text("tempo: 2-1\n")
    result = run_cli("presets", env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 0
    rows = {line.split()[0]: line for line in result.stdout.partition("\n\n")[0].splitlines()[1:]}
    assert "3-1-1-1" in rows["leg-press"] and f"user ({folder / 'leg-press.yaml'})" in rows["leg-press"]
    assert "invalid" in rows["bad"] and f"{folder / 'bad.yaml'}:1:8:" in rows["bad"]


def test_schema_is_json() -> None:
    result = run_cli("schema")
    assert result.returncode == 0 and json.loads(result.stdout)["title"] == "tempo-coach preset or routine"


def test_check_ok_on_shipped_presets() -> None:
    files = sorted(str(p) for p in paths.shipped_presets_dir().glob("*.yaml"))
    result = run_cli("check", *files)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [f"{f}: ok" for f in files]


def test_a_tempo_override_that_zeroes_the_fallback_is_one_clear_error(tmp_path) -> None:
    preset = tmp_path / "fb0.yaml"
    preset.write_text("tempo: 2-0-2-0\nfallback: {positive: 0}\n")
    result = run_cli("plan", str(preset), "--tempo", "0-0-2-0")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "tempo-coach: error: tempo 0-0-2-0 with fb0's fallback is 0-0-0-0, which adds up to zero seconds, so a rep would never advance"
    ]


def test_a_cue_log_that_cannot_be_written_is_refused_before_the_workout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder, a read-only file (even for root), a FIFO (which used to hang): one line, exit 2."""
    from tempo_coach.cli import commands

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    monkeypatch.setattr(commands, "check_terminal", lambda: None)  # as if run from a terminal
    for target in (tmp_path, Path("/proc/version"), fifo):
        with pytest.raises(commands.UsageError, match=f"^--cue-log {re.escape(str(target))}: "):
            commands.check_writable(target, "--cue-log")
    result = run_cli("run", "leg-press", "--mute", "--cue-log", str(tmp_path))
    assert result.returncode == 2 and "needs a terminal" in assert_one_line_error(result)


def test_a_run_refused_for_want_of_a_terminal_creates_no_cue_log(tmp_path: Path) -> None:
    log = tmp_path / "cues.jsonl"
    result = subprocess.run([console_script(), "run", "--mute", "--cue-log", str(log)], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and not log.exists()


def test_the_coach_refuses_to_start_without_a_terminal_for_keys() -> None:
    """stdin from a pipe or a file: the TUI would never see a key and never end."""
    command = [console_script(), "run", "leg-press", "--mute"]
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "needs a terminal" in assert_one_line_error(result)


def test_run_refuses_a_history_that_is_a_folder_or_a_device_before_the_workout(tmp_path: Path) -> None:
    for target, kind in ((tmp_path, "a folder"), (Path("/dev/null"), "a device")):
        result = run_cli("run", "leg-press", "--mute", "--history", str(target))
        assert result.returncode == 1
        assert assert_one_line_error(result) == f"tempo-coach: error: history: {target} is {kind}, not a workout history"
    assert tmp_path.is_dir() and Path("/dev/null").is_char_device()


@pytest.mark.parametrize("command", [["plan", "leg-press", "--sets", "20", "--reps", "200"], ["history", "--csv"]])
def test_a_closed_pipe_ends_every_command_the_same_quiet_way(command: list[str], tmp_path: Path) -> None:
    """Output far larger than a pipe's buffer, read one byte of: exit 1, nothing on stderr."""
    history = tmp_path / "h.sqlite3"
    store = HistoryStore.open(history)
    for number in range(1, 2001):
        workout = store.start_workout(Preset(id="p", tempo=parse_tempo("2-1-1-1")), datetime.now(UTC))
        store.save_set(workout, SetCompleted(1, 10, 10, 50.0, None, True, float(number)))
    store.close()
    shell = f"'{console_script()}' --history '{history}' {' '.join(command)} | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}"
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60)
    assert (result.stdout.strip(), result.stderr) == ("1", "")


@pytest.mark.parametrize("command", ["run", "presets", "check", "schema", "plan", "history"])
def test_every_command_s_help_opens_with_what_it_does(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`tempo-coach run --help` used to be the usage alone."""
    from tempo_coach.cli.commands import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    paragraphs = capsys.readouterr().out.split("\n\n")
    assert " ".join(paragraphs[1].split()).startswith(f"tempo-coach {command}: ")
    listed = build_parser().format_help()
    summary = " ".join(paragraphs[1].split()).removeprefix(f"tempo-coach {command}: ").rstrip(".")
    assert summary[:30] in " ".join(listed.split())  # the same words as its line in tempo-coach --help


@pytest.mark.parametrize("tempo", ["2–1–1–1", "2-1-1"])
def test_a_mistyped_tempo_is_one_line_with_the_tempo_parser_s_own_words(tempo: str) -> None:
    """The start screen's Tempo field and --tempo say the same thing (parse_tempo_text, one rule)."""
    from tempo_coach.core.fields import FieldError
    from tempo_coach.core.overrides import parse_tempo_text

    with pytest.raises(FieldError) as refused:
        parse_tempo_text(tempo)
    line = assert_one_line_error(run_cli("run", "leg-press", "--tempo", tempo))
    assert line.endswith(f"argument --tempo: {refused.value.problem}")
