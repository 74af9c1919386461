"""A WAV that `check` accepts is a WAV the coach plays: one check (audio.wav) for both, and the
WAVE_FORMAT_EXTENSIBLE layout of 24-bit audio editors read without Python's `wave` module."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from wav_files import PLAYABLE, TONE, UNPLAYABLE, samples, write_all

from tempo_coach.audio.backend import AudioError
from tempo_coach.audio.sounds import load_wav
from tempo_coach.presets.loader import PresetError, parse_preset

ALL = sorted([*PLAYABLE, *UNPLAYABLE])


@pytest.fixture(scope="module")
def sounds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wav") / "sounds"
    write_all(folder)
    return folder


def check_accepts(sounds: Path, name: str) -> bool:
    """What `tempo-coach check` says of a preset that uses the WAV for its 'go' cue."""
    try:
        parse_preset(f"tempo: 2-1-1-1\nsounds: {{go: sounds/{name}.wav}}\n", sounds.parent / "p.yaml")
    except PresetError:
        return False
    return True


def backend_plays(sounds: Path, name: str) -> bool:
    try:
        return len(load_wav(sounds / f"{name}.wav").frames) > 0
    except AudioError:
        return False


@pytest.mark.parametrize("name", ALL)
def test_check_accepts_exactly_what_the_backend_plays(sounds: Path, name: str) -> None:
    assert check_accepts(sounds, name) == backend_plays(sounds, name) == (name in PLAYABLE)


@pytest.mark.parametrize("name", sorted(PLAYABLE))
def test_every_playable_layout_becomes_the_same_16_bit_tone(sounds: Path, name: str) -> None:
    """8-bit keeps only its top byte; every wider layout keeps the 16 bits it was written with."""
    tone = [v >> 8 << 8 for v in TONE] if "8-bit" in name else TONE
    assert load_wav(sounds / f"{name}.wav").frames == samples(16, tone)


@pytest.mark.parametrize("name", sorted(UNPLAYABLE))
def test_an_unplayable_wav_says_why_after_its_name(sounds: Path, name: str) -> None:
    why = UNPLAYABLE[name][1]
    with pytest.raises(PresetError) as caught:
        parse_preset(f"tempo: 2-1-1-1\nsounds:\n  go: sounds/{name}.wav\n", sounds.parent / "p.yaml")
    assert str(caught.value) == f"{sounds.parent / 'p.yaml'}:3:7: sounds.go: sounds/{name}.wav {why}"
    with pytest.raises(AudioError) as refused:
        load_wav(sounds / f"{name}.wav")
    assert str(refused.value) == f"{sounds / name}.wav {why}"


def test_a_fifo_or_device_is_refused_without_being_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.wav")  # opening it for reading would block until a writer came
    for sound in ("pipe.wav", "/dev/zero"):
        with pytest.raises(PresetError, match=r"is not a regular file$"):
            parse_preset(f"tempo: 2-1-1-1\nsounds: {{go: {sound}}}\n", tmp_path / "p.yaml")
        with pytest.raises(AudioError, match=r"is not a regular file$"):
            load_wav(tmp_path / sound)


def test_only_the_first_seconds_are_read(tmp_path: Path) -> None:
    """A long WAV is cut to the backend's MAX_CUE_S (3 s), whatever its length."""
    from wav_files import pcm_fmt, wav_bytes

    path = tmp_path / "long.wav"
    path.write_bytes(wav_bytes(pcm_fmt(rate=8000), struct.pack("<h", 100) * 8000 * 10))
    assert load_wav(path).seconds == 3.0


def test_a_data_chunk_longer_than_the_file_reads_what_is_there(tmp_path: Path) -> None:
    from wav_files import chunk, pcm_fmt, riff

    cut = riff(chunk(b"fmt ", pcm_fmt()), b"data" + struct.pack("<I", 0xFFFFFFFF) + samples(16, TONE))
    (tmp_path / "streamed.wav").write_bytes(cut)
    assert load_wav(tmp_path / "streamed.wav").frames == samples(16, TONE)
