"""Every broken preset in tests/broken_presets gives its one-line `PATH:LINE:COL: message` and exit 1.

The expectations live in tests/broken_presets/expected.yaml (line, column and a key phrase of the
message); each file is checked by the real console script in a subprocess, the way a user runs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from cli_runner import assert_error_at, assert_one_line_error, run_cli

from tempo_coach.presets import yaml_nodes
from tempo_coach.presets.loader import MAX_FILE_BYTES, PresetError, load_preset

BROKEN = Path(__file__).parent / "broken_presets"
VALID = Path(__file__).parent / "valid_presets"
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))
FAULT_CLASSES = ("syntax", "yaml", "structure", "keys", "types", "range", "tempo", "fallback", "size", "enc", "paths")


def test_corpus_and_expectations_match() -> None:
    files = {p.name for p in BROKEN.iterdir() if p.is_file() and p.name not in ("expected.yaml", ".gitattributes")}
    assert files == set(EXPECTED), f"files without expectations or expectations without files: {files ^ set(EXPECTED)}"
    assert len(files) >= 30
    assert {name.split("-")[0] for name in files} == set(FAULT_CLASSES)


@pytest.fixture(scope="module")
def checked() -> dict[str, subprocess.CompletedProcess[str]]:
    """`tempo-coach check FILE` for every corpus file, run side by side to keep the suite quick."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(lambda name: run_cli("check", name, cwd=BROKEN), sorted(EXPECTED))
        return dict(zip(sorted(EXPECTED), results))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_preset_gives_one_clean_line(name: str, checked: dict[str, subprocess.CompletedProcess[str]]) -> None:
    assert_error_at(checked[name], name, EXPECTED[name])


PURE_PARSER_DIFFERS = {
    "enc-lone-surrogate.yaml": {"line": 2, "col": 7, "phrase": "name: a lone surrogate '\\ud800' in"},
    "size-deep-nesting.yaml": {"line": 2, "col": 15, "phrase": "notes: nested more than 8 levels deep"},
}
"""Where PyYAML's pure-Python parser and libyaml part: libyaml refuses a lone surrogate escape itself,
and meets its own nesting limit while looking ahead, before the composer's."""


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_pure_python_parser_gives_the_same_line(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where PyYAML has no libyaml, the loader falls back to the pure-Python parser: same lines."""
    monkeypatch.setattr(yaml_nodes, "_EventLoader", yaml.SafeLoader)
    expected = PURE_PARSER_DIFFERS.get(name, EXPECTED[name])
    with pytest.raises(PresetError) as caught:
        load_preset(BROKEN / name)
    assert (caught.value.line, caught.value.col) == (expected["line"], expected["col"]), str(caught.value)
    assert str(expected["phrase"]) in caught.value.message


def test_check_goes_on_after_a_file_that_once_stopped_it() -> None:
    """A 5 000-digit number and a !!bool with a bad value ended `check` with a traceback, and the
    files after them were never checked."""
    hostile = BROKEN.parent / "hostile_presets"
    files = [hostile / "number-sets-5000-digits.yaml", hostile / "tag-bool-maybe.yaml", VALID / "minimal.yaml", BROKEN / "range-sets-zero.yaml"]
    result = run_cli("check", *map(str, files))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout == f"{VALID / 'minimal.yaml'}: ok\n"
    assert [line.split(": ")[0] for line in result.stderr.splitlines()] == [
        f"{files[0]}:2:7", f"{files[1]}:2:8", f"{files[3]}:2:7"
    ]


def test_file_over_one_megabyte_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "size-over-1mb.yaml"
    big.write_text("tempo: 2-1-1-1\nnotes:\n" + "  - padding to make the file too big\n" * (MAX_FILE_BYTES // 30))
    assert big.stat().st_size > MAX_FILE_BYTES
    line = assert_one_line_error(run_cli("check", str(big)))
    assert re.match(rf"^{re.escape(str(big))}:1:1: file is [\d,]+ bytes; a preset may be at most 1,000,000$", line)


def test_one_broken_file_among_valid_ones_fails_the_check() -> None:
    result = run_cli("check", str(VALID / "minimal.yaml"), str(BROKEN / "range-sets-zero.yaml"))
    assert result.returncode == 1
    assert result.stdout == f"{VALID / 'minimal.yaml'}: ok\n"
    assert result.stderr.startswith(f"{BROKEN / 'range-sets-zero.yaml'}:2:7: sets: 0 is out of range")


def test_run_and_plan_refuse_a_broken_preset_with_the_same_line() -> None:
    for command in ("plan", "run"):
        line = assert_one_line_error(run_cli(command, str(BROKEN / "keys-unknown-did-you-mean.yaml")))
        assert line == f"{BROKEN / 'keys-unknown-did-you-mean.yaml'}:2:1: preset: unknown key 'rset'; did you mean 'sets' or 'rest'?"


def test_symlink_loop_as_sound_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "a.wav").symlink_to(tmp_path / "b.wav")
    (tmp_path / "b.wav").symlink_to(tmp_path / "a.wav")
    preset = tmp_path / "loop.yaml"
    preset.write_text("tempo: 2-1-1-1\nsounds:\n  go: a.wav\n")
    line = assert_one_line_error(run_cli("check", str(preset)))
    assert line.startswith(f"{preset}:3:7: sounds.go: cannot use it as a sound file")


# ---- valid presets ------------------------------------------------------------------------------


def _valid_copy(tmp_path: Path) -> Path:
    """The valid presets with the tiny WAV their sounds override needs, generated here."""
    import wave

    folder = tmp_path / "valid"
    shutil.copytree(VALID, folder)
    (folder / "sounds").mkdir()
    with wave.open(str(folder / "sounds" / "beep.wav"), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(b"\x00\x10" * 80)
    return folder


VALID_NAMES = sorted(p.name for p in VALID.glob("*.yaml"))


@pytest.mark.parametrize("name", VALID_NAMES)
def test_valid_preset_checks_ok(name: str, tmp_path: Path) -> None:
    folder = _valid_copy(tmp_path)
    result = run_cli("check", name, cwd=folder)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{name}: ok\n", "")
