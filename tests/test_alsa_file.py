"""The real simpleaudio path, end to end, with no sound card: ALSA plays into a file.

Each test runs a small script in a subprocess whose HOME is a temporary folder holding an
`.asoundrc`, so ALSA (which reads ~/.asoundrc when it first opens a device) uses our configuration
and nothing of the machine's. Needs libasound2 and a built simpleaudio; nothing else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from markers import realtime

pytestmark = [pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ALSA is Linux only"), realtime]

ROOT = Path(__file__).resolve().parent.parent


def run_script(home: Path, asoundrc: str, script: str) -> subprocess.CompletedProcess[str]:
    (home / ".asoundrc").write_text(asoundrc)
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("ALSA_CONFIG_PATH", None)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], cwd=home, env=env, capture_output=True, text=True, timeout=60
    )


PLAY_INTO_FILE = """
    import json, sys, time, wave
    from pathlib import Path
    from tempo_coach.paths import shipped_sounds_dir
    from tempo_coach.audio.choose import open_sound
    from tempo_coach.core.model import Preset
    from tempo_coach.core.tempo import parse_tempo

    def arrived_once(length):
        # What the file holds once it has `length` bytes (each play opens the device anew), or after 5 s.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < length):
            time.sleep(0.01)
        time.sleep(0.05)  # nothing more comes
        return out.read_bytes()

    out = Path("out.raw")
    backend = open_sound(Preset(id="t", tempo=parse_tempo("2-1-1-1")), "simpleaudio", lambda: None)
    result = {"name": backend.name, "notice": backend.notice, "plays": []}
    if backend.name == "simpleaudio":
        backend.prepare(0.5)
        while backend.clip("go", 0.5) == backend.clip("go", 1.0):
            time.sleep(0.01)
        for cue, volume in (("negative", 1.0), ("positive", 1.0), ("bottom_hold", 0.5)):
            expected = backend.clip(cue, volume).frames
            out.unlink(missing_ok=True)
            backend.play(cue, volume)
            arrived = arrived_once(len(expected))
            result["plays"].append({"cue": cue, "volume": volume, "arrived": len(arrived), "expected": len(expected),
                                    "same": arrived == expected, "silent": not any(arrived),
                                    "full_scale_same": arrived == backend.clip(cue, 1.0).frames})
            with wave.open(str(shipped_sounds_dir() / f"{cue}.wav"), "rb") as wav:
                result["plays"][-1]["wav_same"] = arrived == wav.readframes(wav.getnframes())
        backend.close()
    print(json.dumps(result))
"""


def test_cues_played_through_simpleaudio_arrive_sample_for_sample(tmp_path: Path) -> None:
    raw = tmp_path / "out.raw"
    asoundrc = f'pcm.!default {{ type file; slave.pcm "null"; file "{raw}"; format "raw" }}\n'
    done = run_script(tmp_path, asoundrc, PLAY_INTO_FILE)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["name"] == "simpleaudio", result["notice"]
    assert [p["cue"] for p in result["plays"]] == ["negative", "positive", "bottom_hold"]
    for play in result["plays"]:
        assert play["arrived"] == play["expected"] > 0, play
        assert play["same"] and not play["silent"], play
    assert result["plays"][0]["wav_same"] and result["plays"][1]["wav_same"]  # at full volume: the shipped WAV's own samples
    assert not result["plays"][2]["full_scale_same"]  # volume 0.5 reached the device scaled
    assert "ALSA lib" not in done.stderr


NO_DEVICE = 'pcm.!default { type hw; card "NoSuchCard" }\n'


def test_alsa_would_print_errors_here_without_the_handler(tmp_path: Path) -> None:
    """The control: with this configuration ALSA does write to stderr, so the next test means something."""
    done = run_script(
        tmp_path,
        NO_DEVICE,
        """
        import simpleaudio
        try:
            simpleaudio.play_buffer(bytes(882), 1, 2, 44100)
        except Exception as error:
            print("failed:", error)
        """,
    )
    assert "failed:" in done.stdout
    assert "ALSA lib" in done.stderr


def test_no_device_falls_back_to_the_bell_and_no_alsa_text_reaches_stderr(tmp_path: Path) -> None:
    done = run_script(
        tmp_path,
        NO_DEVICE,
        """
        from tempo_coach.audio.choose import open_sound
        from tempo_coach.core.model import Preset
        from tempo_coach.core.tempo import parse_tempo
        rings = []
        backend = open_sound(Preset(id="t", tempo=parse_tempo("2-1-1-1")), "simpleaudio", lambda: rings.append(1))
        backend.play("negative", 1.0)
        backend.play("tick", 1.0)
        print(backend.name, len(rings))
        print(backend.notice)
        """,
    )
    assert done.returncode == 0, done.stderr
    first, notice = done.stdout.splitlines()
    assert first == "bell 1"  # the bell rang for the phase cue, not for the tick
    assert "no audio device" in notice and "No such device" in notice
    assert done.stderr == ""
