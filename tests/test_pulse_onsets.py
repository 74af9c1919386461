"""Cue onsets where the ear is: a real PulseAudio server with null sinks, started by the test (as an
unprivileged user when we are root), the coach's session playing into it, `parec` recording. The
open stream must keep its onset jitter p99 within 5 ms over a minute (simpleaudio's is printed
beside it); a sink removed mid-workout hands over to the next backend with a notice; with no sound
server at all the workout falls back as before. Needs pulseaudio, pulseaudio-utils,
libasound2-plugins and libportaudio2 (`make test` installs them); on CI their absence fails."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markers import realtime

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("pulse_onsets", ROOT / "bench" / "pulse_onsets.py")
assert _spec is not None and _spec.loader is not None
pulse = importlib.util.module_from_spec(_spec)
sys.modules["pulse_onsets"] = pulse
_spec.loader.exec_module(pulse)

MISSING = [tool for tool in ("pulseaudio", "pactl", "parec") if shutil.which(tool) is None]
pytestmark = [
    realtime,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PulseAudio null sinks: Linux only"),
    pytest.mark.skipif(bool(MISSING) and not os.environ.get("CI"), reason=f"needs {', '.join(MISSING)} (make test installs them)"),
]


def test_the_open_stream_lands_each_cue_within_5_ms_at_the_sink() -> None:
    results = pulse.measure(60.0, ui=False, hog=False)
    print()
    print(pulse.HEADER)
    for backend, figures in results.items():
        print(figures.row(backend))
    stream = results["stream"]
    assert stream.cues >= 40 and stream.found == stream.cues, stream
    assert stream.p99 <= 5.0, stream


def headless(server: object, home: Path, argv: list[str], seconds: float, sink: str = "coach") -> subprocess.Popen[str]:
    env = pulse.client_env(server, sink, home)
    command = [sys.executable, str(ROOT / "bench" / "pulse_onsets.py"), "--child", json.dumps(argv), "--seconds", str(seconds)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_sink_removed_mid_workout_hands_over_to_the_next_backend_with_a_notice(tmp_path: Path) -> None:
    log = tmp_path / "cues.jsonl"
    with pulse.pulse_server() as server:
        module = server.add_sink("coach")
        child = headless(server, tmp_path, [*pulse.WORKOUT, "--cue-log", str(log)], 9.0)
        time.sleep(5.0)  # the get-ready and the first rep, on the stream
        server.pactl("unload-module", module)
        out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert out.startswith("sound: stream"), out
    handover = [line for line in out.splitlines() if line.startswith("notice: Sound: ")]
    assert handover and "using" in handover[0], out
    backends = [json.loads(line)["backend"] for line in log.read_text().splitlines()]
    assert backends[0] == "stream" and backends[-1] != "stream", backends
    assert "Traceback" not in err


def test_with_no_sound_server_the_workout_falls_back_as_before(tmp_path: Path) -> None:
    log = tmp_path / "cues.jsonl"
    env = pulse.client_env(pulse.PulseServer(tmp_path / "nothing-here", None), "coach", tmp_path)  # type: ignore[arg-type]
    command = [sys.executable, str(ROOT / "bench" / "pulse_onsets.py"), "--child", json.dumps([*pulse.WORKOUT, "--cue-log", str(log)]), "--seconds", "4"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("sound: bell — no audio device"), done.stdout
    assert {json.loads(line)["backend"] for line in log.read_text().splitlines()} == {"bell"}
    assert "Traceback" not in done.stderr
