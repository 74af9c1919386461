"""Small WAV files written byte by byte, for the tests: plain PCM, WAVE_FORMAT_EXTENSIBLE (the 24-bit
layout audio editors write, which Python 3.11's `wave` refuses), and broken or unplayable variants."""

from __future__ import annotations

import struct
from pathlib import Path

PCM_GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"


def chunk(name: bytes, body: bytes) -> bytes:
    return name + struct.pack("<I", len(body)) + body + b"\0" * (len(body) % 2)


def pcm_fmt(channels: int = 1, rate: int = 44_100, bits: int = 16, code: int = 1) -> bytes:
    align = channels * bits // 8
    return struct.pack("<HHIIHH", code, channels, rate, rate * align, align, bits)


def extensible_fmt(channels: int = 1, rate: int = 44_100, bits: int = 24, valid: int = 24, subformat: int = 1) -> bytes:
    """WAVE_FORMAT_EXTENSIBLE: the 16-byte PCM header, then cbSize 22, valid bits, channel mask, sub-format GUID."""
    mask = 0x4 if channels == 1 else 0x3
    return pcm_fmt(channels, rate, bits, code=0xFFFE) + struct.pack("<HHI", 22, valid, mask) + struct.pack("<H", subformat) + PCM_GUID_TAIL


def riff(*chunks: bytes) -> bytes:
    body = b"".join(chunks)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def wav_bytes(fmt: bytes, data: bytes, data_first: bool = False) -> bytes:
    chunks = [chunk(b"fmt ", fmt), chunk(b"LIST", b"INFOISFT\x04\0\0\0test"), chunk(b"data", data)]
    return riff(*(reversed(chunks) if data_first else chunks))


def samples(bits: int, values: list[int]) -> bytes:
    """Little-endian PCM samples from signed 16-bit `values` (8-bit is unsigned)."""
    if bits == 8:
        return bytes((v >> 8) + 128 for v in values)
    return b"".join((v << (bits - 16)).to_bytes(bits // 8, "little", signed=True) for v in values)


TONE = [0, 8000, 16000, 8000, 0, -8000, -16000, -8000] * 20
"""160 samples of a rough sine: long enough to be a sound, small enough to write anywhere."""

PLAYABLE: dict[str, bytes] = {
    "pcm-8-bit-mono": wav_bytes(pcm_fmt(bits=8), samples(8, TONE)),
    "pcm-16-bit-mono": wav_bytes(pcm_fmt(), samples(16, TONE)),
    "pcm-24-bit-stereo": wav_bytes(pcm_fmt(channels=2, rate=48_000, bits=24), samples(24, TONE)),
    "pcm-32-bit-mono": wav_bytes(pcm_fmt(bits=32, rate=96_000), samples(32, TONE)),
    "extensible-16-bit": wav_bytes(extensible_fmt(bits=16, valid=16), samples(16, TONE)),
    "extensible-24-bit": wav_bytes(extensible_fmt(), samples(24, TONE)),
    "extensible-24-in-32-bit-stereo": wav_bytes(extensible_fmt(channels=2, bits=32, valid=24), samples(32, TONE)),
    "odd-sized-chunk-before-data": riff(chunk(b"fmt ", pcm_fmt()), chunk(b"junk", b"abc"), chunk(b"data", samples(16, TONE))),
}
"""WAVs the check must accept and the backend must play, each converted to 16-bit frames."""

UNPLAYABLE: dict[str, tuple[bytes, str]] = {
    "rate-22222": (wav_bytes(pcm_fmt(rate=22_222), samples(16, TONE)), "has a sample rate of 22222 Hz, which cannot be played; use 44100 or 48000 Hz"),
    "no-frames": (wav_bytes(pcm_fmt(), b""), "is empty (no sound frames)"),
    "half-a-frame": (wav_bytes(pcm_fmt(channels=2), b"\1\0"), "is empty (no sound frames)"),
    "six-channels": (wav_bytes(pcm_fmt(channels=6), samples(16, TONE)), "has 6 channels; expected mono or stereo"),
    "float-32-bit": (wav_bytes(pcm_fmt(bits=32, code=3), bytes(640)), "is not PCM audio (32-bit float); save it as 16-bit PCM WAV"),
    "extensible-float": (wav_bytes(extensible_fmt(bits=32, valid=32, subformat=3), bytes(640)), "is not PCM audio (32-bit float); save it as 16-bit PCM WAV"),
    "mp3-in-wav": (wav_bytes(pcm_fmt(code=0x55), bytes(640)), "is not PCM audio (compressed or unknown); save it as 16-bit PCM WAV"),
    "12-bit": (wav_bytes(struct.pack("<HHIIHH", 1, 1, 44_100, 88_200, 2, 12), bytes(320)), "has 12-bit samples in 2-byte frames; expected 8, 16, 24 or 32-bit PCM"),
    "data-before-fmt": (wav_bytes(pcm_fmt(), samples(16, TONE), data_first=True), "is not a readable PCM WAV file (the sound data comes before its format)"),
    "fmt-cut-short": (b"RIFF\x10\0\0\0WAVEfmt \x08\0\0\0\1\0\1\0\x44\xac\0\0", "is not a readable PCM WAV file (the format chunk is cut short)"),
    "no-data": (riff(chunk(b"fmt ", pcm_fmt())), "is not a readable PCM WAV file (no sound data)"),
    "text-file": (b"not a wav at all\n", "is not a readable PCM WAV file (no RIFF WAVE header)"),
    "empty-file": (b"", "is not a readable PCM WAV file (no RIFF WAVE header)"),
}
"""WAVs the check must refuse (the backend refuses them too), with what the message says after the name."""


def write_all(folder: Path) -> None:
    """Every PLAYABLE and UNPLAYABLE WAV as `folder/NAME.wav`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in PLAYABLE.items():
        (folder / f"{name}.wav").write_bytes(data)
    for name, (data, _why) in UNPLAYABLE.items():
        (folder / f"{name}.wav").write_bytes(data)
