"""Backends without a device: WAV decoding, preset overrides, volume buffers, bell, mute, probing."""

from __future__ import annotations

import os
import struct
import sys
import wave
from pathlib import Path
from typing import Any

import pytest

from tempo_coach.audio import backends as audio
from tempo_coach.audio.backends import (
    AudioError,
    BellBackend,
    NullBackend,
    SimpleaudioBackend,
    load_sounds,
    load_wav,
    open_backend,
)
from tempo_coach.core.cue_names import CUE_NAMES
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import parse_tempo


def preset(**changes: Any) -> Preset:
    return Preset(id="t", tempo=parse_tempo("2-1-1-1"), **changes)


def write_wav(path: Path, frames: bytes, width: int = 2, channels: int = 1, rate: int = 44_100) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setsampwidth(width)
        out.setnchannels(channels)
        out.setframerate(rate)
        out.writeframes(frames)
    return path


class FakeSimpleaudio:
    """Stands in for the simpleaudio module: records buffers, can refuse to open the device."""

    def __init__(self, fail: str = "") -> None:
        self.fail = fail
        self.buffers: list[tuple[bytes, int, int, int]] = []
        self.stopped = False

    def play_buffer(self, data: bytes, channels: int, width: int, rate: int) -> Any:
        if self.fail:
            raise RuntimeError(self.fail)
        assert len(data) > 0, "simpleaudio crashes on an empty buffer"
        self.buffers.append((data, channels, width, rate))
        return self

    def is_playing(self) -> bool:
        return False

    def stop_all(self) -> None:
        self.stopped = True


def test_load_wav_converts_every_width_to_16_bit(tmp_path: Path) -> None:
    assert load_wav(write_wav(tmp_path / "a.wav", struct.pack("<2h", 1000, -2000))).frames == struct.pack("<2h", 1000, -2000)
    assert load_wav(write_wav(tmp_path / "b.wav", bytes([128, 255, 0]), width=1)).frames == struct.pack("<3h", 0, 127 << 8, -128 << 8)
    assert load_wav(write_wav(tmp_path / "c.wav", b"\x00\x34\x12" + b"\x00\x00\x80", width=3)).frames == struct.pack("<2h", 0x1234, -32768)
    assert load_wav(write_wav(tmp_path / "d.wav", struct.pack("<i", -1 << 30), width=4)).frames == struct.pack("<h", -1 << 14)
    stereo = load_wav(write_wav(tmp_path / "e.wav", struct.pack("<4h", 1, 2, 3, 4), channels=2, rate=48_000))
    assert (stereo.channels, stereo.rate, len(stereo.frames)) == (2, 48_000, 8)


def test_load_wav_refuses_what_cannot_play(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="empty"):
        load_wav(write_wav(tmp_path / "empty.wav", b""))
    with pytest.raises(AudioError, match="22222 Hz"):
        load_wav(write_wav(tmp_path / "odd.wav", bytes(10), rate=22_222))
    (tmp_path / "junk.wav").write_bytes(b"not a wav at all")
    with pytest.raises(AudioError, match="not a readable PCM WAV"):
        load_wav(tmp_path / "junk.wav")


def test_preset_sounds_override_shipped_ones_and_a_broken_one_falls_back(tmp_path: Path) -> None:
    own = write_wav(tmp_path / "mine.wav", struct.pack("<3h", 5, 6, 7))
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF....")
    clips, problems = load_sounds(preset(sounds={"negative": own, "positive": broken}))
    assert set(clips) == set(CUE_NAMES)
    assert clips["negative"].frames == struct.pack("<3h", 5, 6, 7)
    assert clips["positive"].frames == load_wav(audio.shipped_sounds_dir() / "positive.wav").frames
    assert len(problems) == 1 and problems[0].startswith("sounds.positive:") and "shipped" in problems[0]


def test_simpleaudio_backend_hands_over_prepared_buffers_and_never_an_empty_one() -> None:
    clips, _ = load_sounds(preset())
    fake = FakeSimpleaudio()
    backend = SimpleaudioBackend(clips, 1.0, fake)  # type: ignore[arg-type]
    prepared = backend.buffer("negative", 1.0)
    backend.play("negative", 1.0)
    assert fake.buffers[0][0] is prepared and fake.buffers[0][1:] == (1, 2, 44_100)  # no work at cue time
    backend.play("negative", 0.0)
    backend.play("no-such-cue", 1.0)
    assert len(fake.buffers) == 1
    backend.close()
    assert fake.stopped
    backend.play("negative", 1.0)
    assert len(fake.buffers) == 1  # closed: silent


def test_volume_is_scaled_per_step_with_a_squared_curve() -> None:
    clips, _ = load_sounds(preset())
    backend = SimpleaudioBackend(clips, 1.0, FakeSimpleaudio())  # type: ignore[arg-type]
    backend.prepare(0.5)
    full = struct.unpack(f"<{len(clips['go'].frames) // 2}h", backend.buffer("go", 1.0) or b"")
    half = struct.unpack(f"<{len(full)}h", backend.buffer("go", 0.52) or b"")  # 0.52 -> step 5
    loudest = max(range(len(full)), key=lambda i: abs(full[i]))
    assert half[loudest] == int(full[loudest] * 0.25)
    assert backend.buffer("go", 0.8) is backend.buffer("go", 1.0)  # step 8 not prepared: the nearest, 10, not 5


def test_a_failing_play_is_counted_not_raised() -> None:
    clips, _ = load_sounds(preset())
    fake = FakeSimpleaudio()
    backend = SimpleaudioBackend(clips, 1.0, fake)  # type: ignore[arg-type]
    fake.fail = "Error opening PCM device. -- CODE: -16 -- MSG: Device or resource busy"
    backend.play("go", 1.0)
    assert backend.failures == 1 and "busy" in backend.last_error


def test_bell_rings_through_the_apps_callback_but_not_for_ticks_or_at_volume_zero() -> None:
    rings: list[int] = []
    bell = BellBackend(lambda: rings.append(1))
    for cue in ("negative", "tick", "countdown"):
        bell.play(cue, 1.0)
    bell.play("go", 0.0)
    assert len(rings) == 2


def test_mute_gives_the_null_backend_and_says_so() -> None:
    backend = open_backend(preset(), mute=True, ring=lambda: None)
    assert isinstance(backend, NullBackend) and backend.name == "none" and "muted" in backend.notice


def test_without_simpleaudio_the_bell_and_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "simpleaudio", None)
    backend = open_backend(preset(), mute=False, ring=lambda: None)
    assert backend.name == "bell" and "simpleaudio is not installed" in backend.notice


def test_a_device_that_does_not_open_gives_the_bell_and_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "simpleaudio", FakeSimpleaudio(fail="Error opening PCM device. -- CODE: -2"))
    backend = open_backend(preset(), mute=False, ring=lambda: None)
    assert backend.name == "bell" and "no audio device (Error opening PCM device. -- CODE: -2); the terminal bell instead" == backend.notice


def test_the_bell_notice_keeps_only_alsas_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    failure = "Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory"
    monkeypatch.setitem(sys.modules, "simpleaudio", FakeSimpleaudio(fail=failure))
    backend = open_backend(preset(), mute=False, ring=lambda: None)
    assert backend.notice == "no audio device (No such file or directory); the terminal bell instead"


def test_a_device_that_opens_gives_simpleaudio(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSimpleaudio()
    monkeypatch.setitem(sys.modules, "simpleaudio", fake)
    backend = open_backend(preset(volume=0.3), mute=False, ring=lambda: None)
    assert backend.name == "simpleaudio" and backend.notice == "playing on the default audio device"
    assert len(fake.buffers) == 1 and not any(fake.buffers[0][0])  # the probe: a short silence, not empty
    backend.close()


def test_stderr_to_devnull_hides_what_c_code_writes_to_fd_2(capfd: pytest.CaptureFixture[str]) -> None:
    with audio.stderr_to_devnull():
        os.write(2, b"ALSA lib pcm.c: noise\n")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"


def test_sound_test_plays_every_cue_with_its_meaning_and_exits_0(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import time

    from tempo_coach.cli import commands as cli

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setattr(time, "sleep", lambda s: None)
    played: list[str] = []
    monkeypatch.setattr(NullBackend, "play", lambda self, cue, volume: played.append(cue))
    assert cli.main(["run", "--sound-test", "--mute"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "sound: none — muted: visual cues only"
    assert played == list(CUE_NAMES)
    assert [line.split()[0] for line in out[1:]] == list(CUE_NAMES)
