"""simpleaudio in a child process (`python -m tempo_coach.audio.simpleaudio_player`), played by the
coach's `SimpleaudioBackend` over a pipe.

Why a child: simpleaudio's `play_buffer` opens the device holding the GIL, so a frozen sound server
there froze every thread of the coach, the screen and the exit with it; and simpleaudio 1.0.4's
playback thread freed memory without the GIL, which Python 3.12 does not survive. Here either costs
the sound only: the parent sees the child stop answering, or die, and the bell takes over.

The child first plays and ends a short silence (the probe), then says `ready`. Messages from the
parent, each `kind (1 byte) + payload length (4 bytes, big-endian) + payload`:
    D  define a sound: channels (2 bytes), rate (4), key length (2), key, 16-bit frames
    P  play the sound defined as key (the payload)
    S  stop every sound now
It answers each P with one line: `p` when playing, `e <why>` when simpleaudio refused. At the end of
its input it stops every sound, waits for simpleaudio's threads, and exits.
"""

from __future__ import annotations

import collections
import struct
import sys
import time
from collections.abc import Iterator
from typing import IO, Any

from tempo_coach.audio.child import ERROR, READY, die_with_parent, say

DEFINE, PLAY, STOP = b"D", b"P", b"S"
_HEADER = struct.Struct("!cI")
_SOUND = struct.Struct("!HIH")
PROBE_S = 0.02
STOP_WAIT_S = 1.0


def define(key: str, channels: int, rate: int, frames: bytes) -> bytes:
    """The message that defines sound `key`."""
    name = key.encode()
    return message(DEFINE, _SOUND.pack(channels, rate, len(name)) + name + frames)


def message(kind: bytes, payload: bytes = b"") -> bytes:
    return _HEADER.pack(kind, len(payload)) + payload


class Player:
    """The child's side: plays what the parent defined through `module` (simpleaudio, or a test's)."""

    def __init__(self, module: Any) -> None:
        self.sa = module
        self.sounds: dict[str, tuple[bytes, int, int]] = {}
        self.playing: collections.deque[Any] = collections.deque(maxlen=64)

    def probe(self) -> None:
        """Play and end a short silence: opens the device, and runs the path that crashed 1.0.4."""
        for _ in range(2):
            self.playing.append(self.sa.play_buffer(bytes(2 * int(PROBE_S * 44_100)), 1, 2, 44_100))
            self.wait_quiet()

    def handle(self, kind: bytes, payload: bytes) -> bytes | None:
        """Act on one message; the answer line for the parent, if any."""
        if kind == DEFINE:
            channels, rate, length = _SOUND.unpack_from(payload)
            start = _SOUND.size + length
            self.sounds[payload[_SOUND.size : start].decode()] = (payload[start:], channels, rate)
        elif kind == PLAY:
            frames, channels, rate = self.sounds[payload.decode()]
            try:
                self.playing.append(self.sa.play_buffer(frames, channels, 2, rate))
            except Exception as error:  # SimpleaudioError: the device went away or is busy
                return b"e " + str(error).replace("\n", " ").encode()
            return b"p"
        elif kind == STOP:
            self.stop()
        return None

    def stop(self) -> None:
        self.sa.stop_all()
        self.wait_quiet()

    def wait_quiet(self, timeout: float = STOP_WAIT_S) -> None:
        """Return when nothing started here still plays (or after `timeout` s)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(p.is_playing() for p in self.playing):
            time.sleep(0.005)


def messages(stream: IO[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """(kind, payload) of each message until the stream ends."""
    while header := stream.read(_HEADER.size):
        if len(header) < _HEADER.size:
            return
        kind, length = _HEADER.unpack(header)
        payload = stream.read(length)
        if len(payload) < length:
            return
        yield kind, payload


def device_reason(text: str) -> str:
    """simpleaudio's 'Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory' -> the MSG."""
    return text.split("MSG:", 1)[1].strip() if "MSG:" in text else text


def main() -> None:
    die_with_parent()
    try:
        import simpleaudio  # type: ignore[import-untyped]
    except ImportError as error:
        say(ERROR + f"simpleaudio is not installed ({error})".encode())
        return
    player = Player(simpleaudio)
    try:
        player.probe()
    except Exception as error:
        say(ERROR + f"no audio device ({device_reason(str(error))})".encode())
        return
    say(READY)
    for kind, payload in messages(sys.stdin.buffer):
        answer = player.handle(kind, payload)
        if answer is not None:
            say(answer)
    player.stop()


if __name__ == "__main__":
    main()
