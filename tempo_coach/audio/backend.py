"""What every sound backend is: the `Backend` contract the coach plays through, and `NullBackend`.

A backend declares what it can do instead of being asked with getattr: `schedules` (it takes the
plan ahead and places each sound itself: the open stream), `played_on_the_beat` (`play` is called
at the cue's instant, so the cue thread spins for the last millisecond before it: simpleaudio),
`has_volume` (`+` and `-` mean something), `durations` (what it can say aloud). The methods a
backend does not need keep the defaults here, which do nothing.

Every method is quick and never raises, and `close` returns promptly even when the sound server has
stopped answering: a call into a sound library that may hang runs where it cannot stall the coach
(a child process, or a thread given up on after a deadline).
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

VOLUME_STEPS = 10

Ring = Callable[[], None]


class AudioError(Exception):
    """A sound file that cannot be used, or a device that cannot be opened."""


class NotAnswering(AudioError):
    """The sound server or device stopped answering: no other device backend is tried after it."""


@dataclass(frozen=True)
class Scheduled:
    """A sound to play at monotonic time `at` (when it should reach the speaker)."""

    key: object
    name: str
    """A cue name, or 'voice:<words>'."""
    at: float
    volume: float


class Backend(ABC):
    """What the coach plays through. The UI shows `line(...)` on its sound line."""

    name: ClassVar[str]
    """'stream', 'simpleaudio', 'bell' or 'none': what the cue log and the UI show."""
    schedules: ClassVar[bool] = False
    """Takes the plan ahead of time (`schedule`, `hush`) instead of `play` calls at the instant."""
    played_on_the_beat: ClassVar[bool] = False
    """`play` is called at the cue's instant and starts the sound at once: worth a spin before it."""
    has_volume: ClassVar[bool] = True
    """Whether `+` and `-` mean anything (a sound device has a volume; the bell and silence not)."""

    notice: str
    """Why this backend, for the UI: 'no audio device (...); the terminal bell instead'."""

    @property
    def durations(self) -> Mapping[str, float]:
        """How long each cue and voice recording lasts (empty: it cannot speak, no voice is planned)."""
        return {}

    @abstractmethod
    def play(self, cue: str, volume: float) -> None:
        """Play `cue` now. Quick, never raises (it runs at cue time)."""

    def play_at(self, cue: str, volume: float, at: float) -> None:
        """Play `cue` at monotonic time `at` (the calibration click); the stream places it itself."""
        timer = threading.Timer(max(0.0, at - time.monotonic()), self.play, args=(cue, volume))
        timer.daemon = True
        timer.start()

    def prepare(self, volume: float) -> None:
        """Get ready to play at `volume` without stalling the caller (scale buffers off-thread)."""

    def schedule(self, sounds: Sequence[Scheduled]) -> None:
        """The sounds to come, replacing the previous plan (only where `schedules`)."""

    def hush(self) -> None:
        """Fade out what plays and forget the plan (the workout paused; only where `schedules`)."""

    def failure(self) -> str | None:
        """Why it stopped playing mid-workout (the next backend takes over), or None while it plays."""
        return None

    def stalled(self) -> bool:
        """Whether that failure is a sound server that stopped answering (then only the bell is tried)."""
        return False

    def line(self, muted: bool, volume: float, also: str = "") -> str:
        """What the sound line says after 'sound: ': what `m`, `+` and `-` change first, then `also`
        (' + flash'), then why this backend (a narrow terminal cuts the explanation, not the state)."""
        state = "muted" if muted else f"volume {round(volume * 100)}%"
        return f"{self.name} · {state}{also} — {self.notice}"

    @abstractmethod
    def close(self) -> None:
        """Stop every sound and let the device go; returns promptly, safe twice."""


class NullBackend(Backend):
    """No sound at all (muted); the screen still shows every cue."""

    name = "none"
    has_volume = False

    def __init__(self, notice: str = "muted") -> None:
        self.notice = notice

    def play(self, cue: str, volume: float) -> None:
        pass

    def line(self, muted: bool, volume: float, also: str = "") -> str:
        return f"none — {self.notice}{also}"

    def close(self) -> None:
        pass


def volume_step(volume: float) -> int:
    """0..1 -> 0..VOLUME_STEPS, the quantum the buffers are prepared for."""
    return round(min(1.0, max(0.0, volume)) * VOLUME_STEPS)


def step_gain(step: int) -> float:
    """Amplitude gain of a volume step: squared, so equal steps sound roughly equally far apart."""
    return (step / VOLUME_STEPS) ** 2
