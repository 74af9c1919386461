"""Run the real `tempo-coach` console script in a subprocess, as a lifter would."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def console_script() -> str:
    """The installed `tempo-coach` beside this interpreter (the venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "tempo-coach"
    found = str(beside) if beside.exists() else shutil.which("tempo-coach")
    assert found, "the tempo-coach console script is not installed (pip install -e .)"
    return found


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`tempo-coach ARGS...`, with the lifter's own presets folder pointed somewhere empty by default."""
    environment = {**os.environ, "XDG_CONFIG_HOME": str(ROOT / "tests" / "no-user-config"), **(env or {})}
    return subprocess.run(
        [console_script(), *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=60
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """A failure a user can read: non-zero exit, one line on stderr, no traceback, nothing on stdout."""
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stdout == "", result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), f"expected one line on stderr, got {result.stderr!r}"
    return lines[0]


def assert_error_at(result: subprocess.CompletedProcess[str], name: str, expected: dict[str, object]) -> str:
    """One clean `NAME:LINE:COL: message` line, at `expected`'s line and column, saying its phrase."""
    assert result.returncode == 1
    line = assert_one_line_error(result)
    match = re.match(rf"^{re.escape(name)}:(\d+):(\d+): (\S.*)$", line)
    assert match, line
    assert (int(match[1]), int(match[2])) == (expected["line"], expected["col"]), line
    assert str(expected["phrase"]) in match[3], line
    return line
