"""A stand-in for the sounddevice module: a RawOutputStream whose callback the test drives, with
DAC times from a fake sound card (optionally running fast), so every sample can be checked."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Any, Callable

from tempo_coach.audio.stream import RATE


@dataclass
class TimeInfo:
    currentTime: float
    outputBufferDacTime: float


class FakeStream:
    def __init__(self, module: "FakeSoundDevice", **settings: Any) -> None:
        self.module = module
        self.settings = settings
        self.callback: Callable[..., None] = settings["callback"]
        self.finished: Callable[[], None] = settings["finished_callback"]
        self.started = self.closed = False

    def start(self) -> None:
        if self.module.refuse:
            raise RuntimeError(self.module.refuse)
        self.started = True
        for _ in range(self.module.prefill):
            self.module.pull()

    def stop(self) -> None:
        self.started = False

    def close(self) -> None:
        self.closed = True


class FakeSoundDevice:
    """`pull()` runs one callback of `block` frames: the block's first frame reaches the speaker
    `latency` after `clock()`, on a card whose clock runs `ppm` fast. Everything played is kept in `out`."""

    PA_CLOCK = 7000.0
    """PortAudio's clock is not ours: it runs this far ahead (its own epoch)."""

    def __init__(self, clock: Callable[[], float], block: int = 4096, latency: float = 0.2, ppm: float = 0.0, prefill: int = 30) -> None:
        self.clock = clock
        self.block = block
        self.latency = latency
        self.rate = RATE * (1 + ppm / 1e6)
        self.prefill = prefill
        self.refuse = ""
        self.stream: FakeStream | None = None
        self.out = array("h")
        self.start_time: float | None = None
        self.late: Callable[[], float] = lambda: 0.0
        """How long after PortAudio timed a block our callback gets to run (waiting for the GIL)."""

    def RawOutputStream(self, **settings: Any) -> FakeStream:
        self.stream = FakeStream(self, **settings)
        return self.stream

    def heard_at(self, frame: int) -> float:
        """When `frame` truly reaches the speaker."""
        assert self.start_time is not None
        return self.start_time + frame / self.rate

    def pull(self) -> array[int]:
        """One callback; the clock is moved to when the card asks for this block."""
        frame = len(self.out)
        if self.start_time is None:
            self.start_time = self.clock() + self.latency
        now = self.heard_at(frame) - self.latency
        if hasattr(self.clock, "now"):
            self.clock.now = max(self.clock.now, now)  # type: ignore[attr-defined]
        buffer = bytearray(2 * self.block)
        assert self.stream is not None
        timing = TimeInfo(self.clock() + self.PA_CLOCK, self.heard_at(frame) + self.PA_CLOCK)
        if hasattr(self.clock, "now"):
            self.clock.now += self.late()  # type: ignore[attr-defined]
        self.stream.callback(buffer, self.block, timing, 0)
        block = array("h", bytes(buffer))
        self.out.extend(block)
        return block

    def run_until(self, time: float) -> None:
        while self.start_time is None or self.heard_at(len(self.out)) - self.latency < time:
            self.pull()
