"""Backends without a device: WAV decoding, preset overrides, bell, mute (simpleaudio: test_simpleaudio.py)."""

from __future__ import annotations

import os
import struct
import sys
import wave
from pathlib import Path
from typing import Any

import pytest

from tempo_coach.audio.backend import AudioError, NullBackend
from tempo_coach.audio.bell import BellBackend
from tempo_coach.audio.choose import open_sound
from tempo_coach.audio.native_stderr import stderr_to_devnull
from tempo_coach.audio.sounds import load_sounds, load_wav
from tempo_coach.paths import shipped_sounds_dir
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
    assert clips["positive"].frames == load_wav(shipped_sounds_dir() / "positive.wav").frames
    assert len(problems) == 1 and problems[0].startswith("sounds.positive:") and "shipped" in problems[0]


def test_bell_rings_through_the_apps_callback_but_not_for_ticks_or_at_volume_zero() -> None:
    rings: list[int] = []
    bell = BellBackend(lambda: rings.append(1))
    for cue in ("negative", "tick", "countdown"):
        bell.play(cue, 1.0)
    bell.play("go", 0.0)
    assert len(rings) == 2


def test_mute_gives_the_null_backend_and_says_so() -> None:
    backend = open_sound(preset(), "auto", lambda: None, mute=True)
    assert isinstance(backend, NullBackend) and backend.name == "none" and "muted" in backend.notice


def test_stderr_to_devnull_hides_what_c_code_writes_to_fd_2(capfd: pytest.CaptureFixture[str]) -> None:
    with stderr_to_devnull():
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
