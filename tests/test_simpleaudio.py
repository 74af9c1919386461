"""simpleaudio in its child process, met with stand-in libraries (tests/standins.py) that record,
refuse, hang or crash: a crash or a hang costs the sound, never the coach, and the reason is said."""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import pytest
from standins import CRASH, standin_simpleaudio

from tempo_coach.audio import child
from tempo_coach.audio.backend import Backend, NotAnswering
from tempo_coach.audio.choose import open_sound
from tempo_coach.audio.simpleaudio_backend import ANSWER_S, SimpleaudioBackend, open_simpleaudio
from tempo_coach.audio.simpleaudio_player import PLAY, Player, define, message, messages
from tempo_coach.audio.sounds import load_sounds
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import parse_tempo

PRESET = Preset(id="t", tempo=parse_tempo("2-1-1-1"))


def opened(volume: float = 1.0) -> SimpleaudioBackend:
    return open_simpleaudio(load_sounds(PRESET)[0], volume)


def recorded(path: Path, count: int, timeout: float = 5.0) -> list[list[int]]:
    """The first `count` buffers the stand-in recorded: [length, CRC-32, channels, width, rate] each."""
    deadline = time.monotonic() + timeout
    while len(lines := path.read_text().splitlines() if path.exists() else []) < count:
        assert time.monotonic() < deadline, f"{len(lines)} of {count} buffers played"
        time.sleep(0.01)
    return [[int(field) for field in line.split()] for line in lines]


def wait_for(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.01)


def test_the_player_plays_what_was_defined_and_answers_each_play() -> None:
    played: list[tuple[bytes, int, int, int]] = []

    class Library:
        def play_buffer(self, *args: object) -> object:
            played.append(args)  # type: ignore[arg-type]
            return self

        def is_playing(self) -> bool:
            return False

    import io

    stream = io.BytesIO(define("go@10", 2, 48_000, b"\x01\x02\x03\x04") + message(PLAY, b"go@10"))
    player = Player(Library())
    answers = [player.handle(kind, payload) for kind, payload in messages(stream)]
    assert answers == [None, b"p"]
    assert played == [(b"\x01\x02\x03\x04", 2, 2, 48_000)]


def test_each_cue_reaches_simpleaudio_as_the_prepared_buffer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    standin_simpleaudio(monkeypatch, tmp_path / "lib")
    monkeypatch.setenv("STANDIN_RECORD", str(tmp_path / "played"))
    backend = opened()
    try:
        backend.prepare(0.5)
        wait_for(lambda: backend.clip("go", 0.5) != backend.clip("go", 1.0))
        for cue, volume in (("negative", 1.0), ("go", 0.5), ("negative", 1.0), ("voice:set 2", 1.0)):
            backend.play(cue, volume)
        backend.play("negative", 0.0)  # silent
        backend.play("no-such-cue", 1.0)
        plays = recorded(tmp_path / "played", 4)
        for (cue, volume), (length, digest, channels, width, rate) in zip((("negative", 1.0), ("go", 0.5), ("negative", 1.0), ("voice:set 2", 1.0)), plays):
            clip = backend.clip(cue, volume)
            assert clip is not None and (length, digest, channels, width, rate) == (len(clip.frames), zlib.crc32(clip.frames), clip.channels, 2, clip.rate), cue
        wait_for(lambda: not backend.stalled())
        assert backend.failure() is None
    finally:
        backend.close()
    backend.play("negative", 1.0)
    assert len(recorded(tmp_path / "played", 4)) == 4  # closed: silent


def test_volume_is_scaled_per_step_with_a_squared_curve(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import struct

    standin_simpleaudio(monkeypatch, tmp_path / "lib")
    backend = opened()
    try:
        assert backend.clip("go", 0.8) == backend.clip("go", 1.0)  # step 8 not prepared yet: the nearest
        backend.prepare(0.5)
        wait_for(lambda: backend.clip("go", 0.52) != backend.clip("go", 1.0))  # 0.52 -> step 5
        full_clip, half_clip = backend.clip("go", 1.0), backend.clip("go", 0.52)
        assert full_clip is not None and half_clip is not None
        full = struct.unpack(f"<{len(full_clip.frames) // 2}h", full_clip.frames)
        half = struct.unpack(f"<{len(full)}h", half_clip.frames)
        loudest = max(range(len(full)), key=lambda i: abs(full[i]))
        assert half[loudest] == int(full[loudest] * 0.25)
    finally:
        backend.close()


def test_plays_simpleaudio_refuses_are_counted_and_then_a_failure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    standin_simpleaudio(monkeypatch, tmp_path / "lib", 'if plays > 2: raise RuntimeError("Error opening PCM device. -- CODE: -16 -- MSG: Device or resource busy")')
    backend = opened()
    try:
        backend.play("go", 1.0)
        backend.play("go", 1.0)
        wait_for(lambda: backend.failure() is not None)
        assert backend.failure() == "the audio device stopped working (Error opening PCM device. -- CODE: -16 -- MSG: Device or resource busy)"
        assert not backend.stalled()
    finally:
        backend.close()


def test_a_probe_that_crashes_the_child_gives_the_bell_and_names_the_crash(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    standin_simpleaudio(monkeypatch, tmp_path / "lib", CRASH)
    backend = open_sound(PRESET, "simpleaudio", lambda: None)
    assert backend.name == "bell"
    assert backend.notice == "simpleaudio crashed (SIGSEGV); the terminal bell instead"


def test_a_crash_mid_workout_is_a_failure_naming_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    standin_simpleaudio(monkeypatch, tmp_path / "lib", f"if plays == 4: {CRASH}")
    backend = opened()
    try:
        backend.play("go", 1.0)
        backend.play("go", 1.0)
        wait_for(lambda: backend.failure() is not None)
        assert backend.failure() == "simpleaudio crashed (SIGSEGV)"
    finally:
        backend.close()


def test_a_device_that_never_answers_at_open_is_given_up_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    standin_simpleaudio(monkeypatch, tmp_path / "lib", "time.sleep(60)")
    monkeypatch.setattr(child, "READY_S", 0.5)
    started = time.monotonic()
    with pytest.raises(NotAnswering, match="simpleaudio did not answer in 0.5 s"):
        opened()
    assert time.monotonic() - started < 1.5
    backend = open_sound(PRESET, "simpleaudio", lambda: None)
    assert backend.name == "bell" and backend.notice.startswith("the sound server is not answering (simpleaudio did not answer")


def test_a_device_that_stops_answering_mid_workout_is_a_stall_and_closes_at_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    standin_simpleaudio(monkeypatch, tmp_path / "lib", "if plays == 4: time.sleep(60)")
    backend: Backend = opened()
    backend.play("go", 1.0)
    backend.play("go", 1.0)
    time.sleep(ANSWER_S + 0.1)
    assert backend.stalled() and backend.failure() == "the sound device stopped answering"
    started = time.monotonic()
    backend.close()
    assert time.monotonic() - started < 0.5


def test_without_simpleaudio_the_bell_and_the_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from standins import standin

    standin(monkeypatch, tmp_path / "lib", "simpleaudio", "raise ImportError('No module named simpleaudio._simpleaudio')")
    backend = open_sound(PRESET, "simpleaudio", lambda: None)
    assert backend.name == "bell" and "simpleaudio is not installed" in backend.notice


def test_the_bell_notice_keeps_only_alsas_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    standin_simpleaudio(monkeypatch, tmp_path / "lib", 'raise RuntimeError("Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory")')
    backend = open_sound(PRESET, "simpleaudio", lambda: None)
    assert backend.notice == "no audio device (No such file or directory); the terminal bell instead"
    assert backend.line(False, 1.0).startswith("no sound card found: terminal bell")


def test_a_device_that_opens_gives_simpleaudio(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    standin_simpleaudio(monkeypatch, tmp_path / "lib")
    backend = open_sound(PRESET, "simpleaudio", lambda: None)
    try:
        assert backend.name == "simpleaudio" and backend.notice == "playing on the default audio device"
    finally:
        backend.close()
