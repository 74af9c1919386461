"""Where the sound card's clock is: monotonic time <-> stream frames. Pure: no I/O, no threads.

A stream kept open runs on the sound card's clock, which differs from `time.monotonic()` by tens of
ppm (up to ~100 ms an hour). `StreamClock` is told, at each audio callback, which stream frame
reaches the speaker at which monotonic time (PortAudio's DAC time, converted); from those
observations it keeps a mapping that cues are placed by:

- **Lock.** The first callbacks of a stream are not to be trusted (the buffer is being filled; a
  sound server may hold the stream for a moment before it runs). The clock locks once `SETTLE`
  observations in a row agree within `SETTLE_TOLERANCE_S`.
- **Drift.** A least-squares line through the recent observations (the last `WINDOW` callbacks,
  fading) gives the residual `time - frame / rate` and its slope, i.e. the card's true
  rate. The mapping used for cues moves toward that line by at most `MAX_STEP_S` per observation:
  small steps between cues, so a cue is never shifted by more than that from one callback to the
  next. The slope is trusted only once WINDOW
  callbacks are in: the timing a sound server reports wanders by tenths of a millisecond over
  seconds, and a slope through a few seconds of it is worse than none. So a card 100 ppm fast is
  up to 2.4 ms off in the first minute (the mean lags), then within a sample.
- **Outliers and jumps.** Through a sound server the reported timing is noisy: under load it
  wandered by tens of milliseconds for seconds (PulseAudio's ALSA plugin, bench/RESULTS.md) while
  the sound itself went on evenly. An observation more than `OUTLIER_S` off the line is left out.
  A stream that really stalled plays everything later from then on: PortAudio says so (an output
  underflow: `observe(..., gap=True)`), and the clock locks again on the timing that follows; so
  does a shift that persists, every observation an outlier for `PERSIST` callbacks.
"""

from __future__ import annotations

import collections
import math
from dataclasses import dataclass

SETTLE = 4
SETTLE_TOLERANCE_S = 0.001
WINDOW = 500
"""Observations in the line (46 s at the stream's 93 ms callbacks)."""
MAX_STEP_S = 0.000_02
"""0.2 ms a second at 93 ms callbacks: twice a 100 ppm drift."""
OUTLIER_S = 0.003
PERSIST = 150
"""Outliers in a row (14 s) after which the clock believes them."""
MAX_PPM = 1000
"""A rate estimate further than this from the nominal rate is noise, not a sound card."""
WANDER_WINDOW = 16
"""Callbacks (1.5 s) over which `Reports` compares the reported latency with the callbacks' timing."""
WANDER_S = 0.005
"""Reported latency that moves more than this in a window, while the callbacks keep time, wanders."""
STEADY_S = 0.002
"""Callbacks whose start moves less than this against the frames keep time."""
_HISTORY = 2048


@dataclass
class _Line:
    """An exponentially weighted least-squares fit of y (residual seconds) against x (frames)."""

    mean_x: float
    mean_y: float
    var_x: float = 0.0
    cov_xy: float = 0.0
    count: int = 0

    def add(self, x: float, y: float, alpha: float) -> None:
        self.count += 1
        dx, dy = x - self.mean_x, y - self.mean_y
        self.mean_x += alpha * dx
        self.mean_y += alpha * dy
        self.var_x = (1 - alpha) * (self.var_x + alpha * dx * dx)
        self.cov_xy = (1 - alpha) * (self.cov_xy + alpha * dx * dy)

    @property
    def slope(self) -> float:
        return self.cov_xy / self.var_x if self.var_x > 0 else 0.0

    def at(self, x: float) -> float:
        return self.mean_y + self.slope * (x - self.mean_x)


class StreamClock:
    """Maps monotonic seconds to the stream frame that reaches the speaker then, and back."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.locked = False
        self.relocks = 0
        """How often a jump made the clock re-lock (a stalled stream); for diagnostics."""
        self.locked_since = 0
        """The frame at which the clock last locked."""
        self._recent: list[tuple[int, float]] = []
        self._line: _Line | None = None
        self._frame = 0
        self._residual = 0.0
        """The residual (`time - frame / rate`) used for cues, at `_frame`: it follows the line in small steps."""
        self._slope = 0.0
        self._misses = 0

    def observe(self, frame: int, time: float, gap: bool = False) -> None:
        """`frame` reached (or will reach) the speaker at monotonic `time`; `gap`: the stream
        reported an underflow (it stalled, so what follows plays later)."""
        residual = time - frame / self.rate
        if gap and self.locked:
            self.locked, self._recent = False, []
            self.relocks += 1
        if not self.locked:
            self._settle(frame, residual)
            return
        assert self._line is not None
        if abs(residual - self._line.at(frame)) > OUTLIER_S:
            self._misses += 1
            self._recent = [*self._recent[-(SETTLE - 1) :], (frame, residual)]
            if self._misses >= PERSIST:
                self.relocks += 1
                self._lock(self._recent)
            return
        self._misses = 0
        line = self._line
        line.add(frame, residual, max(1 / WINDOW, 1 / (line.count + 1)))
        slope = self._rate_correction(line)
        target = line.mean_y + slope * (frame - line.mean_x)
        now = self._residual + self._slope * (frame - self._frame)
        self._residual = now + max(-MAX_STEP_S, min(MAX_STEP_S, target - now))
        self._frame, self._slope = frame, slope

    def _rate_correction(self, line: _Line) -> float:
        """The slope to predict with: none until the window is full (a slope through a few noisy
        points is worse than none: 100 ppm is only 0.1 ms over the second a cue is planned ahead),
        and never more than MAX_PPM."""
        if line.count < WINDOW:
            return 0.0
        limit = MAX_PPM / 1e6 / self.rate
        return max(-limit, min(limit, line.slope))

    def _settle(self, frame: int, residual: float) -> None:
        self._recent = [*self._recent[-(SETTLE - 1) :], (frame, residual)]
        self._frame, self._residual = frame, residual  # until locked, the latest observation is the best guess
        values = [r for _, r in self._recent]
        if len(values) == SETTLE and max(values) - min(values) <= SETTLE_TOLERANCE_S:
            self._lock(self._recent)

    def _lock(self, observations: list[tuple[int, float]]) -> None:
        """Start over from these observations (they agree with each other)."""
        frames = [f for f, _ in observations]
        residuals = sorted(r for _, r in observations)
        self._line = _Line(sum(frames) / len(frames), residuals[len(residuals) // 2])
        self._frame, self._residual, self._slope = observations[-1][0], self._line.mean_y, 0.0
        self._recent, self._misses, self.locked = [], 0, True
        self.locked_since = observations[-1][0]

    def time_of(self, frame: float) -> float:
        """When `frame` reaches the speaker (monotonic seconds)."""
        return frame / self.rate + self._residual + self._slope * (frame - self._frame)

    def frame_at(self, time: float) -> int:
        """The frame that reaches the speaker at `time` (the nearest one)."""
        # time = f / rate + residual + slope * (f - frame0)  =>  solve for f
        per_frame = 1 / self.rate + self._slope
        return round((time - self._residual + self._slope * self._frame) / per_frame)


class Reports:
    """Which timing a callback's report gives the clock: PortAudio's DAC time, unless the sound
    server's reported latency wanders while the callbacks themselves keep time.

    Through PipeWire's pulse server (pipewire-pulse 0.3.65) the reported latency starts right (185 ms
    for a 200 ms stream, as PulseAudio's) and then runs up by 1.5-2 ms a callback, jumping back every
    1.5 s, 0-70 ms too late for tens of seconds, while the sound itself plays evenly and the callbacks
    start within 0.3 ms of their frames' pace (bench/RESULTS.md). There the clock is given each
    callback's start plus the least latency reported by a callback that kept time: what the server
    said before its estimate wandered. A sound card's own reports never trip this: a late callback
    finds that much less buffered, so the latency and the callbacks' start move together.
    """

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.wanders = False
        self._recent: collections.deque[tuple[float, float]] = collections.deque(maxlen=WANDER_WINDOW)
        self._history: collections.deque[tuple[float, float]] = collections.deque(maxlen=_HISTORY)
        self._floor = math.inf
        self._pace = 0.0
        """The callbacks' start less their frames' time, when the reports were found to wander."""

    def heard(self, frame: int, called: float, dac: float) -> tuple[float, bool]:
        """When `frame` is heard, from a callback that started at `called` and reported `dac` (both
        monotonic seconds); and whether the reports were found to wander just now (the clock should
        lock again: it may have locked on wandering reports)."""
        latency, pace = sample = (dac - called, called - frame / self.rate)
        if self.wanders:
            if abs(pace - self._pace) < STEADY_S:
                self._floor = min(self._floor, latency)
            return called + self._floor, False
        self._recent.append(sample)
        self._history.append(sample)
        self.wanders = self._wandering()
        return (called + self._floor, True) if self.wanders else (dac, False)

    def _wandering(self) -> bool:
        """Do the last WANDER_WINDOW callbacks keep time while their reported latency wanders? If so,
        the floor is the least latency of the callbacks so far that kept this pace."""
        if len(self._recent) < WANDER_WINDOW:
            return False
        latencies, paces = [latency for latency, _ in self._recent], sorted(pace for _, pace in self._recent)
        if max(latencies) - min(latencies) <= WANDER_S or paces[-1] - paces[0] >= STEADY_S:
            return False
        self._pace = paces[len(paces) // 2]
        self._floor = min(latency for latency, pace in self._history if abs(pace - self._pace) < STEADY_S)
        return True

