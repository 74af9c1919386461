"""One output stream kept open for the whole workout, each cue mixed in at the sample of its deadline.

Why: simpleaudio opens a new stream for every sound, so each cue starts whenever that stream gets
going (measured at a PulseAudio sink: jitter p99 about 10 ms). Here one stream runs from `open`
to `close`; the coach hands over its plan ahead of time (`schedule`), and each sound is placed at
the stream frame that reaches the speaker at its due time, so onsets land on the sample.

The library is sounddevice (PortAudio): see README, "Sound backends". Its callback runs on
PortAudio's thread and reports, for each block, when the block's first frame will reach the DAC
(`outputBufferDacTime`); `StreamClock` turns those reports into the frame for any monotonic time,
following the card's own clock. Between cues the stream carries a hiss at -60 dBFS (`keep_awake`),
so a Bluetooth sink never goes to sleep and clips the next cue.

Interface beyond `Backend.play`:
- `schedule(sounds)`: the sounds to come, replacing the previous plan. A sound already started
  (same key) is never started again, so a re-plan cannot double a cue.
- `hush()`: fade out whatever is playing (pause).
- `failure()`: why the stream stopped (a device that went away), or None.
- `durations`: how long each cue and voice recording lasts, for planning the voice.

Everything slow (decoding, resampling, scaling for the volume) happens in `open_stream` and
`schedule`, never in the callback, which only places prepared samples and copies slices.
"""

from __future__ import annotations

import atexit
import collections
import math
import threading
import time
from array import array
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

from tempo_coach.audio.alsa import alsa_default_output_problem, release_alsa_plugins, silence_alsa_errors
from tempo_coach.audio.backend import AudioError, Backend, Scheduled, step_gain, volume_step
from tempo_coach.audio.child import await_ready, start_child
from tempo_coach.audio.deadline import call_with_deadline
from tempo_coach.audio.native_stderr import stderr_to_devnull
from tempo_coach.audio.sounds import load_sounds
from tempo_coach.audio.wav import Clip, from_little_endian, to_little_endian
from tempo_coach.audio.clock import Reports, StreamClock
from tempo_coach.audio.mixer import (
    FADE_S,
    Placed,
    cut,
    keep_awake_noise,
    mix,
    resampled,
    scaled,
    to_mono,
    yield_to,
)
from tempo_coach.audio.voice import spoken, voice_lengths, words_of
from tempo_coach.core.cues import VOICE_GAP_S, VOICE_PREFIX
from tempo_coach.core.model import Preset

RATE = 44_100
"""The stream's rate: the shipped cues' own, so they are played as they are."""
BLOCK = 4096
"""Frames per callback (93 ms): few wake-ups, which are most of the stream's CPU (PortAudio, ALSA
and the sound server's client wake with it), and sounds are placed ahead of time anyway. What an
action starts now (end set, the fade of a pause) is heard up to about 0.2 s later."""
LATENCY_S = 0.2
LOCK_WAIT_S = 5.0
"""How long `open_stream` waits for the stream's timing to settle (a sound server may hold a new
stream for up to 2 s before it runs, then report its timing differently)."""
SETTLED_S = 1.0
"""The timing has settled when the clock has stayed locked this long: cues start only then."""
STALL_S = 0.5
"""No callback for this long while open (they come every 93 ms): the device is gone, or the sound
server stopped answering."""
CLOSE_WAIT_S = 0.5
"""How long `close` waits for PortAudio to stop the stream."""
OPEN_WAIT_S = LOCK_WAIT_S + 1.0
"""How long opening the stream in this process may take in all, settling included."""
OFFSET_RELAX_S = 0.000_001
"""The offset between PortAudio's clock and ours may rise this much a callback (22 µs a second)."""
VOICES_KEPT = 32
"""Voice recordings kept ready at the stream's rate (a set's counts and words, about 1.5 MB); older
ones are decoded again when next said. Keeping every one grew by 5 MB over the counts to 100, and
as much again with each new volume."""
_FADE = round(FADE_S * RATE)
_GAP = round(VOICE_GAP_S * RATE)
_KEEP_STARTED = 512

Now = Callable[[], float]


class StreamBackend(Backend):
    """Plays a planned sequence of sounds through one open stream (see the module docstring)."""

    name = "stream"
    schedules = True

    def __init__(self, clips: dict[str, Clip], module: ModuleType, keep_awake: bool = True, now: Now = time.monotonic) -> None:
        self.notice = "one open stream"
        self._durations = {name: clip.seconds for name, clip in clips.items()} | voice_lengths()
        self.clock = StreamClock(RATE)
        self._reports = Reports(RATE)
        self.underruns = 0
        self._clips = clips
        self._now = now
        self._noise = keep_awake_noise(RATE) if keep_awake else None
        self._background = to_little_endian(self._noise) * 2 if self._noise else None
        """The hiss as the device wants it, twice over: any block of it is one slice."""
        self._lock = threading.Lock()
        self._prepared: dict[tuple[str, int], array[int]] = {}
        self._voices: collections.deque[tuple[str, int]] = collections.deque()
        """The voice recordings in `_prepared`, oldest first."""
        self._scheduled: dict[object, tuple[Scheduled, array[int]]] = {}
        self._next_due = math.inf
        """The earliest `at` of the scheduled sounds (lock held to change either)."""
        self._active: list[Placed] = []
        self._started: dict[object, int] = {}
        self._written = 0
        self._last_callback: float | None = None
        self._offset: float | None = None
        self._ended = ""
        self._closed = False
        self._module = module
        self._stream = module.RawOutputStream(
            samplerate=RATE,
            channels=1,
            dtype="int16",
            blocksize=BLOCK,
            latency=LATENCY_S,
            callback=self._callback,
            finished_callback=self._finished,
        )

    @property
    def durations(self) -> Mapping[str, float]:
        return self._durations

    # ---- the coach's side ------------------------------------------------------------------

    def schedule(self, sounds: Sequence[Scheduled]) -> None:
        """The sounds to come, replacing the previous plan; those already started keep playing."""
        ready = [(sound, self.samples(sound.name, sound.volume)) for sound in sounds]
        with self._lock:
            self._scheduled = {s.key: (s, samples) for s, samples in ready if samples and s.key not in self._started}
            self._next_due = _earliest(self._scheduled)

    def play(self, cue: str, volume: float) -> None:
        """Play `cue` as soon as possible, outside the plan (the sound test, the calibration click)."""
        self.play_at(cue, volume, self._now())

    def play_at(self, cue: str, volume: float, at: float) -> None:
        samples = self.samples(cue, volume)
        if samples:
            with self._lock:
                self._scheduled[("once", cue, at)] = (Scheduled(("once", cue, at), cue, at, volume), samples)
                self._next_due = min(self._next_due, at)

    def hush(self) -> None:
        """Fade out everything playing and forget the plan (the workout paused)."""
        with self._lock:
            self._scheduled, self._next_due = {}, math.inf
            self._active = [c for c in (cut(clip, self._written, _FADE) for clip in self._active) if c is not None]

    def samples(self, name: str, volume: float) -> array[int]:
        """The samples of a cue or voice cue at `volume`, at the stream's rate (empty: silent or unknown)."""
        step = volume_step(volume)
        if step == 0:
            return array("h")
        key = (name, step)
        samples = self._prepared.get(key)
        if samples is None:
            samples = self._prepared[key] = scaled(self._decoded(name), step_gain(step))
            if name.startswith(VOICE_PREFIX):
                self._voices.append(key)
                if len(self._voices) > VOICES_KEPT:
                    self._prepared.pop(self._voices.popleft(), None)
        return samples

    def _decoded(self, name: str) -> array[int]:
        if name.startswith(VOICE_PREFIX):
            data, rate = spoken(words_of(name))
            return resampled(from_little_endian(data), rate, RATE)
        clip = self._clips.get(name)
        if clip is None:
            return array("h")
        return resampled(to_mono(from_little_endian(clip.frames), clip.channels), clip.rate, RATE)

    # ---- life cycle ------------------------------------------------------------------------

    def start(self, wait_s: float = LOCK_WAIT_S) -> None:
        """Start the stream and wait until its timing has settled; AudioError if it never runs."""
        try:
            self._stream.start()
        except Exception as error:
            raise AudioError(str(error)) from None
        atexit.register(self.close)
        started, began = time.monotonic(), self._now()
        while not self._settled() and time.monotonic() < started + wait_s and not self._ended:
            time.sleep(0.01)
            if self._written > RATE * (2 * (self._now() - began) + LATENCY_S * 4):
                self.close()  # a device that takes sound faster than it can play it (a null or file PCM)
                raise AudioError("the output device does not keep time")
        if self._last_callback is None or not self._settled():
            self.close()
            raise AudioError(self._ended or ("the output stream never asked for sound" if self._last_callback is None else "the output stream's timing never settled"))

    def _settled(self) -> bool:
        with self._lock:
            return self.clock.locked and self._written - self.clock.locked_since >= SETTLED_S * RATE

    def failure(self) -> str | None:
        """Why the stream stopped playing (None: it plays)."""
        if self._closed:
            return None
        if self._ended:
            return self._ended
        if self.stalled():
            return "the audio device stopped asking for sound"
        return None

    def stalled(self) -> bool:
        last = self._last_callback
        return not self._closed and last is not None and self._now() - last > STALL_S

    def close(self) -> None:
        """Stop and close the stream (safe twice), giving up after CLOSE_WAIT_S: a frozen sound
        server never answers PortAudio's stop, and must not hold the coach (see `_close_stream`)."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        try:
            call_with_deadline(self._close_stream, CLOSE_WAIT_S, "closing the stream")
        except AudioError:  # still stuck: sounddevice's exit handler would wait for it forever
            atexit.unregister(getattr(self._module, "_exit_handler", lambda: None))

    def _close_stream(self) -> None:
        for step in (self._stream.stop, self._stream.close):
            try:
                step()
            except Exception:
                pass

    # ---- PortAudio's thread ------------------------------------------------------------------

    def _callback(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        """One block. Most blocks carry no sound but the hiss: they cost a time observation and a
        slice (the callback's Python is a third of the stream's CPU, bench/RESULTS.md)."""
        now = self._now()
        dac, current = time_info.outputBufferDacTime, time_info.currentTime
        with self._lock:
            first = self._written
            gap = bool(getattr(status, "output_underflow", False))
            if dac:
                offset = self._pa_to_monotonic(now - current)
                heard, wandered = self._reports.heard(first, current + offset, dac + offset)
                gap = gap or wandered
            else:
                heard = now + LATENCY_S
            self.clock.observe(first, heard, gap=gap)
            if self._scheduled and self.clock.frame_at(self._next_due) < first + frames:
                self._place(first, frames)
            block = self._block(first, frames)
            self._written = first + frames
            self._last_callback = now
            if status:
                self.underruns += 1
        outdata[:] = block

    def _block(self, first: int, frames: int) -> bytes:
        """The bytes of frames [first, first + frames): the mix where a sound plays, else the
        background as it is; sounds that end in this block are let go (lock held)."""
        if self._active or frames > RATE:
            block = to_little_endian(mix(self._active, first, frames, self._noise))
            self._active = [c for c in self._active if c.end > first + frames]
            return block
        if self._background is None:
            return bytes(2 * frames)
        start = 2 * (first % RATE)
        return self._background[start : start + 2 * frames]

    def _pa_to_monotonic(self, measured: float) -> float:
        """PortAudio's clock -> monotonic seconds. `measured` (our time less PortAudio's, at this
        callback) is late by however long this thread waited for the GIL (the UI, a busy machine);
        it is never early, so the offset is the least seen. It may creep up by OFFSET_RELAX_S a
        callback, so that a step of PortAudio's clock (the wall clock on Linux) is followed too."""
        best = self._offset
        self._offset = measured if best is None else min(measured, best + OFFSET_RELAX_S)
        return self._offset

    def _place(self, first: int, frames: int) -> None:
        """Give each scheduled sound that starts before the end of this block its frame (lock held)."""
        for key, (sound, samples) in list(self._scheduled.items()):
            start = max(first, self.clock.frame_at(sound.at))
            if start >= first + frames:
                continue
            del self._scheduled[key]
            voice = sound.name.startswith(VOICE_PREFIX)
            if voice:  # after whatever still plays (a beep an action started late, the word before)
                start = max([start, *(c.end + _GAP for c in self._active if c.start <= start < c.end)])
            placed = Placed(key, start, samples, voice)
            if not placed.voice:
                self._active = [c for c in (yield_to(v, start, _FADE, first) for v in self._active) if c is not None]
            self._active.append(placed)
            self._started[key] = start
        self._next_due = _earliest(self._scheduled)
        if len(self._started) > _KEEP_STARTED:
            self._started = dict(list(self._started.items())[-_KEEP_STARTED // 2 :])

    def _finished(self) -> None:
        if not self._closed:
            self._ended = "the audio stream stopped"


def _earliest(scheduled: dict[object, tuple[Scheduled, array[int]]]) -> float:
    return min((sound.at for sound, _ in scheduled.values()), default=math.inf)


def open_stream(preset: Preset, keep_awake: bool, module: ModuleType | None = None, now: Now = time.monotonic) -> StreamBackend:
    """A started stream on the default output device, with `preset`'s sounds; AudioError says why
    not (NotAnswering: the sound server did not answer). The real library is tried first in a child
    process (`probe_once`); opening it here is given up on after OPEN_WAIT_S."""
    clips, problems = load_sounds(preset)
    if module is None:
        probe_once()
        backend = call_with_deadline(lambda: started(clips, load_library(), keep_awake, now), OPEN_WAIT_S, "the sound device", late=StreamBackend.close)
    else:
        backend = started(clips, module, keep_awake, now)
    extra = f" ({'; '.join(problems)})" if problems else ""
    hiss = "" if keep_awake else ", no keep-awake hiss"
    backend.notice = f"one open stream on the default audio device{hiss}{extra}"
    return backend


def started(clips: dict[str, Clip], module: ModuleType, keep_awake: bool, now: Now) -> StreamBackend:
    """A stream made with `module` and started, its timing settled; AudioError says why not."""
    silence_alsa_errors()
    try:
        backend = StreamBackend(clips, module, keep_awake, now)
    except Exception as error:
        raise AudioError(reason(error)) from None
    backend.start()
    return backend


_PROBED: list[bool] = []


def probe_once() -> None:
    """The first time in this process, play a short silence through the real library in a child
    process (`stream_probe`): a native crash or a frozen sound server there is an AudioError here,
    not the end of the coach. A probe that failed is tried again next time."""
    if not _PROBED:
        await_ready(start_child("tempo_coach.audio.stream_probe"), "the open stream (PortAudio)")
        _PROBED.append(True)


_LIBRARY: list[ModuleType] = []
INSTALL_PORTAUDIO = "install libportaudio2 on Debian/Ubuntu, portaudio on Fedora, Arch or macOS (Homebrew)"


def load_library() -> ModuleType:
    """sounddevice, imported once. PortAudio probes ALSA and JACK as it loads, and JACK writes to
    file descriptor 2 directly, so the import runs with it pointed at /dev/null (under the TUI,
    where fd 2 already is /dev/null, `native_stderr_silenced`, this changes nothing).

    Memory: PortAudio's probe opens every ALSA device and so loads every ALSA plugin installed
    (about 22 MB of resident memory with libasound2-plugins). So it is not loaded at all where ALSA's
    default device does not open (no sound card: the coach ends on the bell), and where it is, the
    plugins of the devices it probed are let go at once (about 11 MB back)."""
    if not _LIBRARY:
        problem = alsa_default_output_problem()
        if problem is not None:
            raise AudioError(f"no audio device ({problem})")
        silence_alsa_errors()
        with stderr_to_devnull():
            try:
                import sounddevice  # type: ignore[import-untyped]
            except ImportError as error:
                raise AudioError(f"sounddevice is not available ({error})") from None
            except OSError as error:  # the PortAudio library is not installed (or does not load)
                why = "" if str(error) == "PortAudio library not found" else f" ({error})"
                raise AudioError(f"PortAudio is missing{why}: {INSTALL_PORTAUDIO}") from None
        release_alsa_plugins()
        _LIBRARY.append(sounddevice)
    return _LIBRARY[0]


def reason(error: Exception) -> str:
    """PortAudio's 'Error opening RawOutputStream: Invalid number of channels [PaErrorCode -9998]' -> its words."""
    return str(error).split(" [PaErrorCode")[0]
