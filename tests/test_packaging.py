"""The package finds its presets and sounds both from a built wheel and from a source checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, tempo_coach
from tempo_coach import __version__, paths
from tempo_coach.presets import catalog
print(json.dumps({
    "file": tempo_coach.__file__,
    "version": __version__,
    "presets": str(paths.shipped_presets_dir()),
    "sounds": str(paths.shipped_sounds_dir()),
    "preset_files": sorted(p.name for p in paths.shipped_presets_dir().glob("*.yaml")),
    "wav_files": sorted(p.name for p in paths.shipped_sounds_dir().glob("*.wav")),
    "default_tempo": str(catalog.find(catalog.DEFAULT_PRESET).tempo),
}))
"""


def probe(pythonpath: Path, cwd: Path) -> dict[str, object]:
    """Import tempo_coach in a fresh interpreter with only `pythonpath` in front, from `cwd`."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "XDG_CONFIG_HOME": str(cwd / "config")}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def repo_presets() -> list[str]:
    return sorted(p.name for p in (ROOT / "presets").glob("*.yaml"))


def repo_wavs() -> list[str]:
    return sorted(p.name for p in (ROOT / "sounds").glob("*.wav"))


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=120,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = out.glob("tempo_coach-*.whl")
    target = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def test_installed_wheel_ships_presets_and_sounds(unpacked_wheel: Path, tmp_path: Path) -> None:
    found = probe(unpacked_wheel, tmp_path)
    package = unpacked_wheel / "tempo_coach"
    assert Path(str(found["file"])).parent == package
    assert Path(str(found["presets"])) == package / "data" / "presets"
    assert Path(str(found["sounds"])) == package / "data" / "sounds"
    assert found["preset_files"] == repo_presets() and "leg-press.yaml" in repo_presets()
    assert found["wav_files"] == repo_wavs(), "every WAV in sounds/ must be in the wheel"
    assert found["default_tempo"] == "2-1-2-1"
    assert found["version"] != "0.0.0+unknown"


def test_installed_wheel_cli_uses_its_own_presets(unpacked_wheel: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(unpacked_wheel), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run(
        [sys.executable, "-m", "tempo_coach", "presets"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert f"shipped ({unpacked_wheel / 'tempo_coach' / 'data' / 'presets' / 'leg-press.yaml'})" in result.stdout


def test_source_checkout_finds_presets_beside_the_package(tmp_path: Path) -> None:
    found = probe(ROOT, tmp_path)
    assert Path(str(found["file"])) == ROOT / "tempo_coach" / "__init__.py"
    assert Path(str(found["presets"])) == ROOT / "presets"
    assert Path(str(found["sounds"])) == ROOT / "sounds"
    assert found["preset_files"] == repo_presets()
    assert found["wav_files"] == repo_wavs()


def test_the_checkout_has_no_stale_packaged_data() -> None:
    """A leftover tempo_coach/data in the checkout would hide edits to presets/ and sounds/."""
    assert not (ROOT / "tempo_coach" / "data").exists()
