"""The functional core must not pull in the shell, and the layers import only downwards."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE_PACKAGE = ROOT / "tempo_coach" / "core"
CORE = tuple(f"tempo_coach.core.{path.stem}" for path in sorted(CORE_PACKAGE.glob("*.py")) if path.stem != "__init__")
SHELL = ("textual", "rich", "simpleaudio", "sqlite3", "yaml", "tempo_coach.presets", "tempo_coach.history")
LOADER = ("tempo_coach.presets.loader", "tempo_coach.presets.catalog")
NOT_FOR_THE_LOADER = ("textual", "simpleaudio", "sqlite3")


def loaded_after_importing(modules: tuple[str, ...], watched: tuple[str, ...]) -> list[str]:
    """Which of `watched` a fresh interpreter has in sys.modules after importing `modules`."""
    code = f"import sys; import {', '.join(modules)}; print(' '.join(m for m in {watched!r} if m in sys.modules))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


def test_the_core_is_every_module_in_core() -> None:
    assert {"tempo_coach.core.engine", "tempo_coach.core.tempo", "tempo_coach.core.overrides"} <= set(CORE)


def test_core_modules_import_nothing_from_the_shell() -> None:
    """No Textual, audio, SQLite, YAML or threads: the core is tested instantly on a fake clock."""
    assert loaded_after_importing(CORE, SHELL) == []


def test_the_preset_loader_needs_no_ui_audio_or_database() -> None:
    assert loaded_after_importing(LOADER, NOT_FOR_THE_LOADER) == []


def test_layers_import_only_downwards() -> None:
    """The import-linter contract in pyproject.toml: cli > tui > runtime > history | presets >
    audio > core, with no import circle inside a layer's package."""
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.fail("lint-imports is not installed (pip install -e '.[dev]')")
    result = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
