"""WAV files: the one check of whether a WAV can be played, and reading one as 16-bit frames.

`tempo-coach check` (through the preset loader) and the audio backend both use `inspect_wav`, so a
sound the check accepts is a sound the coach can play. The RIFF header is parsed here rather than by
the `wave` module, which refuses WAVE_FORMAT_EXTENSIBLE (0xFFFE) before Python 3.12: the layout audio
editors write for 24-bit PCM. Only the header and the frames to be played are read, never the whole
of a large file; a FIFO or device is refused without being read. No dependency beyond the stdlib.
"""

from __future__ import annotations

import os
import stat
import struct
import sys
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

SUPPORTED_RATES = (8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000, 192000)
"""The sample rates the backend plays; any other is refused by the check too."""
_PCM = 0x0001
_EXTENSIBLE = 0xFFFE
_PCM_GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
"""KSDATAFORMAT_SUBTYPE_PCM after its first two bytes (which hold the format code, 0x0001)."""
_MAX_CHUNKS = 64
"""Chunks looked at before giving up on finding 'data': a hostile file cannot make the walk long."""


class WavError(ValueError):
    """Why a WAV cannot be played, worded to follow its name: 'beep.wav' + ' is empty (no sound frames)'."""


@dataclass(frozen=True)
class WavFormat:
    """What the header says, checked: PCM, 1 or 2 channels, 8/16/24/32-bit, a supported rate, frames > 0."""

    channels: int
    rate: int
    width: int
    """Bytes per sample (container size: 24-bit audio stored in 32-bit words has width 4)."""
    frames: int
    data_offset: int


@dataclass(frozen=True)
class Clip:
    """A decoded sound: little-endian signed 16-bit frames, ready for simpleaudio."""

    frames: bytes
    channels: int
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.frames) / (2 * self.channels * self.rate)

    def scaled(self, gain: float) -> bytes:
        """The frames at `gain` (0..1)."""
        if gain >= 1.0:
            return self.frames
        samples = from_little_endian(self.frames)
        scaled = array("h", [int(s * gain) for s in samples])
        return to_little_endian(scaled)


def inspect_wav(path: Path) -> WavFormat:
    """The format of the WAV at `path`, or a WavError saying why it cannot be played."""
    with _open_regular(path) as file:
        return _inspect(file)


def read_wav(path: Path, max_seconds: float) -> Clip:
    """The WAV at `path` as 16-bit frames, cut to `max_seconds`; a WavError if it cannot be played."""
    with _open_regular(path) as file:
        wav = _inspect(file)
        file.seek(wav.data_offset)
        count = min(wav.frames, max(1, int(max_seconds * wav.rate)))
        data = file.read(count * wav.channels * wav.width)
    data = data[: len(data) - len(data) % (wav.channels * wav.width)]  # whole frames, if the file shrank
    return Clip(_to_16_bit(data, wav.width), wav.channels, wav.rate)


@contextmanager
def _open_regular(path: Path) -> Iterator[BinaryIO]:
    """The file opened for reading if it is a regular file (opening a FIFO must not block)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise WavError(f"cannot be read ({error.strerror or error})") from None
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise WavError("is not a regular file")
        try:
            yield file
        except OSError as error:
            raise WavError(f"cannot be read ({error.strerror or error})") from None


def _unreadable(why: str) -> WavError:
    return WavError(f"is not a readable PCM WAV file ({why})")


def _inspect(file: BinaryIO) -> WavFormat:
    """Walk the RIFF chunks to 'data', checking 'fmt ' on the way."""
    size = os.fstat(file.fileno()).st_size
    riff = file.read(12)
    if len(riff) < 12 or riff[:4] != b"RIFF" or riff[8:] != b"WAVE":
        raise _unreadable("no RIFF WAVE header")
    layout: tuple[int, int, int] | None = None
    for _ in range(_MAX_CHUNKS):
        header = file.read(8)
        if len(header) < 8:
            break
        chunk, length = header[:4], int.from_bytes(header[4:], "little")
        start = file.tell()
        if chunk == b"fmt ":
            layout = _read_fmt(file.read(min(length, 64)))
        elif chunk == b"data":
            if layout is None:
                raise _unreadable("the sound data comes before its format")
            channels, rate, width = layout
            frames = min(length, size - start) // (channels * width)
            if frames <= 0:
                raise WavError("is empty (no sound frames)")
            return WavFormat(channels, rate, width, frames, start)
        file.seek(start + length + length % 2)  # chunks are padded to an even length
    raise _unreadable("no format chunk" if layout is None else "no sound data")


def _read_fmt(data: bytes) -> tuple[int, int, int]:
    """(channels, rate, bytes per sample) from a 'fmt ' chunk, refusing what the backend cannot play."""
    if len(data) < 16:
        raise _unreadable("the format chunk is cut short")
    code, channels, rate, _byte_rate, block_align, bits = struct.unpack_from("<HHIIHH", data)
    if code == _EXTENSIBLE:
        if len(data) < 40:
            raise _unreadable("the extensible format chunk is cut short")
        code = int.from_bytes(data[24:26], "little") if data[26:40] == _PCM_GUID_TAIL else -1
    if code != _PCM:
        kind = "32-bit float" if code == 3 else "compressed or unknown" if code != -1 else "an unknown sub-format"
        raise WavError(f"is not PCM audio ({kind}); save it as 16-bit PCM WAV")
    if channels not in (1, 2):
        raise WavError(f"has {channels} channels; expected mono or stereo")
    if bits not in (8, 16, 24, 32) or block_align != channels * bits // 8:
        raise WavError(f"has {bits}-bit samples in {block_align}-byte frames; expected 8, 16, 24 or 32-bit PCM")
    if rate not in SUPPORTED_RATES:
        raise WavError(f"has a sample rate of {rate} Hz, which cannot be played; use 44100 or 48000 Hz")
    return channels, rate, bits // 8


def _to_16_bit(data: bytes, width: int) -> bytes:
    """Little-endian PCM of any width -> little-endian signed 16-bit (keeping the top bytes)."""
    if width == 2:
        return data[: len(data) - len(data) % 2]
    if width == 1:  # unsigned 8-bit
        return to_little_endian(array("h", [(b - 128) << 8 for b in data]))
    out = bytearray(2 * (len(data) // width))
    out[0::2] = data[width - 2 :: width]
    out[1::2] = data[width - 1 :: width]
    return bytes(out)


def from_little_endian(data: bytes) -> array[int]:
    """16-bit little-endian PCM bytes as native samples (an odd last byte is dropped)."""
    samples = array("h", data[: len(data) - len(data) % 2])
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def to_little_endian(samples: array[int]) -> bytes:
    """The bytes a 16-bit little-endian stream or device wants."""
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()
