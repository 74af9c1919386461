"""The coach in a real terminal (tmux) with real sound libraries, on whichever Python runs the
suite (`make test-all` runs it on 3.11, 3.12 and 3.13): ALSA's null device takes the sound, so
simpleaudio's playback thread really starts and ends each sound (where 1.0.4 crashed on 3.12), and
stand-in libraries that crash or hang never take the workout with them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from cli_runner import run_cli
from markers import needs_tmux, realtime
from standins import CRASH, standin, standin_simpleaudio
from tmux_driver import Tmux, wait_gone

pytestmark = [needs_tmux, realtime]

SET = ["leg-press-normal", "--sets", "1", "--reps", "2", "--get-ready", "1", "--voice", "counts"]
SUMMARY = "back to the start screen"


def null_device_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text("pcm.!default { type null }\n")
    return home


def coached_set(tmux: Tmux, tmp_path: Path, backend: str, env: dict[str, str], size: tuple[int, int] = (100, 30)) -> tuple[str, list[dict[str, object]]]:
    """Run the two-rep set with `--backend backend` to its summary and quit, checking that it ended
    well and that the set is in the history; (the screen mid-set, the cue log)."""
    log, history, status = tmp_path / "cues.jsonl", tmp_path / "history.sqlite3", tmp_path / "status"
    pid = tmux.start_coach("coach", history, *SET, "--backend", backend, "--cue-log", str(log), mute=False, env=env, size=size, status=status)
    mid_set = tmux.wait_for("NEGATIVE", timeout=20)
    tmux.wait_for(SUMMARY, timeout=40)
    tmux("send-keys", "-t", "coach", "q")
    assert wait_gone(pid, 10), tmux.screen("coach")
    assert status.read_text() == "0\n", "the coach ended with status " + status.read_text()  # 139: a segmentation fault
    shown = run_cli("history", "--json", "--history", str(history))
    [workout] = json.loads(shown.stdout)
    [done] = workout["sets"]
    assert (done["reps_done"], done["ended"]) == (2, "completed")
    return mid_set, [json.loads(line) for line in log.read_text().splitlines()]


@pytest.mark.parametrize("backend", ["auto", "stream", "simpleaudio"])
def test_a_two_rep_set_with_real_sound_into_alsas_null_device(tmux: Tmux, tmp_path: Path, backend: str) -> None:
    """The null device takes sound faster than real time, so the open stream refuses it and
    simpleaudio plays every cue (and word) for real."""
    mid_set, cues = coached_set(tmux, tmp_path, backend, {"HOME": str(null_device_home(tmp_path))})
    assert "sound: simpleaudio · volume" in mid_set
    assert {cue["backend"] for cue in cues} == {"simpleaudio"}, cues
    played = [cue["cue"] for cue in cues if not cue.get("skipped")]
    assert "go" in played and "voice:2" in played and played[-1] == "done", played


def test_a_probe_that_crashes_its_child_falls_back_with_a_notice_and_coaches_the_set(tmux: Tmux, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = standin_simpleaudio(monkeypatch, tmp_path / "lib", CRASH)
    env = {"HOME": str(null_device_home(tmp_path)), "PYTHONPATH": f"{library}:{Path(__file__).resolve().parent.parent}"}
    log, history = tmp_path / "cues.jsonl", tmp_path / "history.sqlite3"
    pid = tmux.start_coach("coach", history, *SET, "--backend", "simpleaudio", "--cue-log", str(log), mute=False, env=env)
    shown = tmux.wait_for("NEGATIVE", timeout=20)
    assert "sound: simpleaudio crashed (SIGSEGV): terminal bell" in shown, shown
    tmux.wait_for(SUMMARY, timeout=40)
    tmux("send-keys", "-t", "coach", "q")
    assert wait_gone(pid, 10)
    assert {json.loads(line)["backend"] for line in log.read_text().splitlines()} == {"bell"}
    [workout] = json.loads(run_cli("history", "--json", "--history", str(history)).stdout)
    assert [s["reps_done"] for s in workout["sets"]] == [2]


def test_an_open_stream_whose_library_crashes_hands_over_to_simpleaudio_naming_the_crash(tmux: Tmux, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = standin(monkeypatch, tmp_path / "lib", "sounddevice", CRASH)
    env = {"HOME": str(null_device_home(tmp_path)), "PYTHONPATH": f"{library}:{Path(__file__).resolve().parent.parent}"}
    mid_set, cues = coached_set(tmux, tmp_path, "stream", env, size=(200, 30))
    assert {cue["backend"] for cue in cues} == {"simpleaudio"}
    assert "(no open stream: the open stream (PortAudio) crashed (SIGSEGV))" in mid_set, mid_set


def test_while_the_sound_opens_the_screen_answers_at_once_and_q_quits_without_waiting(tmux: Tmux, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A probe that takes its time (here 2 s to play its silence) never holds the screen or the
    exit. (Leaving the screen on q takes Textual itself about 0.21 s, as on the start screen with
    no sound at all; the process must not wait for the probe beyond that.)"""
    library = standin_simpleaudio(monkeypatch, tmp_path / "lib", "time.sleep(2)")
    env = {"PYTHONPATH": f"{library}:{Path(__file__).resolve().parent.parent}"}
    pid = tmux.start_coach("coach", tmp_path / "history.sqlite3", *SET, "--backend", "simpleaudio", mute=False, env=env)
    tmux.wait_for("sound: opening…")
    pressed = time.monotonic()
    tmux("send-keys", "-t", "coach", "?")
    tmux.wait_for("hands-free", timeout=0.2)
    answered = time.monotonic() - pressed
    tmux("send-keys", "-t", "coach", "Escape")
    tmux.wait_for("sound: opening…", timeout=0.2)
    pressed = time.monotonic()
    tmux("send-keys", "-t", "coach", "q")
    assert wait_gone(pid, 2), "still running 2 s after q"
    gone = time.monotonic() - pressed
    assert answered < 0.2 and gone < 0.5, f"help after {answered:.3f} s; gone {gone:.3f} s after q"
