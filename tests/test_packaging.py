"""The package finds its presets and sounds both from a built wheel and from a source checkout; the
sdist builds that wheel, twine accepts both, and the wheel installed on its own coaches.

The wheel is built the way `python -m build` builds it, offline: an sdist first (hatchling), then the
wheel from the unpacked sdist, so a file the sdist leaves out is missing from the wheel too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from markers import realtime

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, tempo_coach
from tempo_coach import __version__, paths
from tempo_coach.audio.voice import voice_dir
from tempo_coach.presets import catalog
print(json.dumps({
    "file": tempo_coach.__file__,
    "version": __version__,
    "presets": str(paths.shipped_presets_dir()),
    "sounds": str(paths.shipped_sounds_dir()),
    "voice": str(voice_dir()),
    "preset_files": sorted(p.name for p in paths.shipped_presets_dir().glob("*.yaml")),
    "wav_files": sorted(p.name for p in paths.shipped_sounds_dir().glob("*.wav")),
    "voice_files": sorted(p.name for p in voice_dir().glob("*.wav")),
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


def repo_voice() -> list[str]:
    return sorted(p.name for p in (ROOT / "sounds" / "voice").glob("*.wav"))


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    return done


@dataclass(frozen=True)
class Dist:
    sdist: Path
    wheel: Path


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """The sdist (hatchling, from the checkout) and the wheel built from the unpacked sdist."""
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(out)], cwd=ROOT)
    (sdist,) = out.glob("tempo_coach-*.tar.gz")
    unpacked = tmp_path_factory.mktemp("sdist")
    with tarfile.open(sdist) as archive:
        archive.extractall(unpacked, filter="data")
    (source,) = unpacked.iterdir()
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)])
    (wheel,) = out.glob("tempo_coach-*.whl")
    return Dist(sdist, wheel)


@pytest.fixture(scope="module")
def unpacked_wheel(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(dist.wheel) as archive:
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
    assert Path(str(found["voice"])) == package / "data" / "sounds" / "voice"
    assert found["voice_files"] == repo_voice() and "1.wav" in repo_voice(), "every voice clip must be in the wheel"
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
    assert found["voice_files"] == repo_voice()


def test_the_checkout_has_no_stale_packaged_data() -> None:
    """A leftover tempo_coach/data in the checkout would hide edits to presets/ and sounds/."""
    assert not (ROOT / "tempo_coach" / "data").exists()


def test_twine_accepts_the_sdist_and_the_wheel(dist: Dist) -> None:
    """What PyPI would check on upload: the metadata, and that the README renders (its content type)."""
    pytest.importorskip("twine")
    checked = run([sys.executable, "-m", "twine", "check", "--strict", str(dist.sdist), str(dist.wheel)])
    assert checked.stdout.count("PASSED") == 2, checked.stdout


# ---- the wheel installed on its own ------------------------------------------------------------------

NO_PORTAUDIO = 'raise OSError("PortAudio library not found")  # what sounddevice raises without libportaudio2\n'
SOUND_TEST_WORDS = 11
"""The words `--sound-test` says (cli.commands.SOUND_TEST_WORDS): each needs its voice clips."""


@pytest.fixture(scope="module")
def installed(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel installed and nothing else: tempo_coach comes only from the
    wheel; its dependencies from this environment's site-packages, through a .pth file (appended to
    sys.path after the virtualenv's own site-packages; the .pth files there, such as an editable
    install's pointer to the checkout, are not run). Returns the virtualenv's bin folder."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=False, symlinks=os.name != "nt")
    bin_dir = home / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(dist.wheel)])
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (site / "zz_dependencies_from_the_test_environment.pth").write_text("".join(f"{path}\n" for path in ours))
    return bin_dir


def coach_env(tmp_path: Path) -> dict[str, str]:
    """No sound card needed: ALSA's default device is its null PCM (plays nothing, opens everywhere)."""
    (tmp_path / ".asoundrc").write_text("pcm.!default { type null }\n")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PULSE_", "ALSA_", "PYTHON", "XDG_", "TEMPO_COACH_"))}
    return keep | {
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "TEMPO_COACH_HISTORY": str(tmp_path / "history.sqlite3"),
    }


@realtime
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="plays into ALSA's null device")
def test_the_wheel_installed_alone_plans_lists_and_plays(installed: Path, tmp_path: Path) -> None:
    """`tempo-coach` from the installed wheel: its presets, sounds and voice clips are the wheel's; the
    sound test exits 0 on a real backend, once as installed and once without PortAudio (a stand-in
    `sounddevice` raising what the real one raises when libportaudio2 is missing), where the coach
    says so and what to install, and plays with simpleaudio."""
    coach = str(installed / "tempo-coach")
    env = coach_env(tmp_path)
    stand_in = tmp_path / "no-portaudio"
    stand_in.mkdir()
    (stand_in / "sounddevice.py").write_text(NO_PORTAUDIO)
    # The sound tests take a second a sound: both run while the rest is checked.
    as_installed = subprocess.Popen(
        [coach, "run", "leg-press", "--sound-test", "--backend", "stream"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    without_portaudio = subprocess.Popen(
        [coach, "run", "leg-press", "--sound-test"],
        cwd=tmp_path, env=env | {"PYTHONPATH": str(stand_in)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        found = json.loads(run([str(installed / "python"), "-c", PROBE], cwd=tmp_path, env=env).stdout)
        package = Path(str(found["file"])).parent
        assert package.is_relative_to(installed.parent) and not package.is_relative_to(ROOT)
        assert Path(str(found["presets"])) == package / "data" / "presets"
        assert Path(str(found["voice"])) == package / "data" / "sounds" / "voice"
        assert found["wav_files"] == repo_wavs() and found["voice_files"] == repo_voice()

        plan = run([coach, "plan", "leg-press"], cwd=tmp_path, env=env).stdout
        assert plan.startswith("leg-press: tempo 2-1-2-1, 3×12, rest 120 s"), plan
        listed = run([coach, "presets"], cwd=tmp_path, env=env).stdout
        assert f"shipped ({package / 'data' / 'presets' / 'leg-press.yaml'})" in listed, listed

        played, problems = as_installed.communicate(timeout=90)
        assert as_installed.returncode == 0, problems
        assert played.startswith("sound: simpleaudio — playing on the default audio device (no open stream: "), played
        assert "PortAudio is missing" not in played
        assert played.count("said aloud") == SOUND_TEST_WORDS, "the voice clips are found from the wheel"

        played, problems = without_portaudio.communicate(timeout=90)
        assert without_portaudio.returncode == 0, problems
        first = played.splitlines()[0]
        assert first.startswith("sound: simpleaudio — playing on the default audio device"), first
        assert "PortAudio is missing: install libportaudio2 on Debian/Ubuntu, portaudio on Fedora" in first, first
        assert played.count("said aloud") == SOUND_TEST_WORDS
    finally:
        for process in (as_installed, without_portaudio):
            if process.poll() is None:
                process.kill()
                process.communicate()
