"""What loading the open stream's library (sounddevice, PortAudio) keeps in memory.

PortAudio lists devices as it loads, and listing opens every PCM the ALSA configuration names, so
every ALSA plugin installed was loaded and kept (about 22 MB with libasound2-plugins), even in a
workout that ended on the terminal bell because there was no sound card at all. Each check runs in
a fresh interpreter (what is loaded stays loaded), with an ALSA configuration of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ALSA_PLUGINS = sorted(Path("/usr/lib").glob("*/alsa-lib/libasound_module_pcm_*.so"))

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ALSA is Linux's")

REPORT = """
import sys
from tempo_coach.audio.backend import AudioError
from tempo_coach.audio.stream import load_library
try:
    load_library()
    print("loaded")
except AudioError as error:
    print(f"refused: {error}")
print("sounddevice imported" if "sounddevice" in sys.modules else "sounddevice not imported")
mapped = {line.split()[-1] for line in open("/proc/self/maps") if "libasound_module_pcm_" in line}
print(f"plugins mapped: {len(mapped)}")
"""


def load_with(asoundrc: str, tmp_path: Path) -> str:
    """load_library in a fresh interpreter whose ALSA default device is `asoundrc`'s; what it says."""
    (tmp_path / ".asoundrc").write_text(asoundrc)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULSE_", "ALSA_"))} | {"HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", REPORT], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_without_a_sound_card_portaudio_is_never_loaded(tmp_path: Path) -> None:
    said = load_with('pcm.!default { type hw; card 99 }\n', tmp_path)
    assert "refused: no audio device (" in said
    assert "sounddevice not imported" in said
    assert "plugins mapped: 0" in said


@pytest.mark.skipif(not ALSA_PLUGINS, reason="no ALSA plugins installed: nothing to let go of")
def test_the_alsa_plugins_portaudio_probed_are_let_go_once_it_is_loaded(tmp_path: Path) -> None:
    pytest.importorskip("sounddevice")
    said = load_with('pcm.!default { type null }\n', tmp_path)  # a device that opens, and needs no plugin
    assert "loaded" in said and "sounddevice imported" in said
    assert "plugins mapped: 0" in said
