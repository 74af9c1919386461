"""Sound backends behind one small Protocol, the probe that picks one, and ALSA error silencing.

`open_backend(preset, mute, ring)` returns the best backend that works here and says why in its
`notice`: `SimpleaudioBackend` when a device opens, else `BellBackend` (the terminal bell, rung by
the app's `ring` callback), or `NullBackend` when muted. Everything slow happens in `open_backend`:
every WAV is read (by `audio.wav`, whose check of a WAV `tempo-coach check` uses too), converted to
16-bit and scaled for the starting volume there, so `play()` only hands a ready buffer to
simpleaudio (no file I/O, no decoding, no per-sample work at cue time).

ALSA writes its errors ("ALSA lib confmisc.c:855:(parse_card) cannot find card '0'") straight to the
process's stderr, which under a TUI lands on top of the screen. `silence_alsa_errors()` installs a
no-op ALSA error handler through ctypes (kept for the life of the process); where libasound cannot
be loaded that way, the probe runs with file descriptor 2 pointed at /dev/null instead. This module
is the only place that does either.

simpleaudio pitfalls handled here: it crashes on an empty buffer (py-simple-audio #79), so empty
sounds are refused at load; it can crash at interpreter exit while a sound is still playing (#74),
so `close()` stops every sound and waits for the playback threads, and is also registered with atexit.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import ctypes
import ctypes.util
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from tempo_coach.audio.wav import Clip, WavError, read_wav
from tempo_coach.audio.voice import spoken, voice_lengths, words_of
from tempo_coach.core.cue_names import CUE_NAMES, CueName
from tempo_coach.core.cues import VOICE_PREFIX
from tempo_coach.core.model import Preset
from tempo_coach.core.text import printable
from tempo_coach.paths import shipped_sounds_dir

VOLUME_STEPS = 10
MAX_CUE_S = 3.0
"""Longer sounds are cut: a cue that is still playing when the next is due can block the device."""
_PROBE_S = 0.02
_STOP_WAIT_S = 1.0

Ring = Callable[[], None]


class AudioError(Exception):
    """A sound file that cannot be used, or a device that cannot be opened."""


class Backend(Protocol):
    """What the scheduler calls. `play` must be quick and must not raise (it runs at cue time).
    The UI shows `f"sound: {backend.name} — {backend.notice}"` once."""

    name: str
    """'simpleaudio', 'bell' or 'none': what the cue log and the UI show."""
    notice: str
    """Why this backend, for the UI: 'no audio device (...); the terminal bell instead'."""

    def play(self, cue: str, volume: float) -> None: ...

    def close(self) -> None: ...


def volume_step(volume: float) -> int:
    """0..1 -> 0..VOLUME_STEPS, the quantum the buffers are prepared for."""
    return round(min(1.0, max(0.0, volume)) * VOLUME_STEPS)


def step_gain(step: int) -> float:
    """Amplitude gain of a volume step: squared, so equal steps sound roughly equally far apart."""
    return (step / VOLUME_STEPS) ** 2


# ---- sounds -----------------------------------------------------------------------------------


def load_wav(path: Path) -> Clip:
    """The WAV at `path` as 16-bit frames, cut to MAX_CUE_S; AudioError says why it cannot play."""
    try:
        return read_wav(path, MAX_CUE_S)
    except WavError as error:
        raise AudioError(f"{printable(str(path))} {error}") from None


def load_sounds(preset: Preset, shipped: Path | None = None) -> tuple[dict[str, Clip], list[str]]:
    """Every cue's clip (the preset's own WAV, else the shipped one) and the problems met on the way."""
    shipped = shipped or shipped_sounds_dir()
    clips: dict[str, Clip] = {}
    problems: list[str] = []
    for name in CUE_NAMES:
        own = preset.sounds.get(name)
        if own is not None:
            try:
                clips[name] = load_wav(own)
                continue
            except AudioError as error:
                problems.append(f"sounds.{name}: {error}; using the shipped sound")
        try:
            clips[name] = load_wav(shipped / f"{name}.wav")
        except AudioError as error:
            problems.append(f"{name}: {error}")
    return clips, problems


# ---- backends -----------------------------------------------------------------------------------


class NullBackend:
    """No sound at all (muted); the screen still shows every cue."""

    name = "none"

    def __init__(self, notice: str = "muted") -> None:
        self.notice = notice

    def play(self, cue: str, volume: float) -> None:
        pass

    def close(self) -> None:
        pass


BELLS: dict[str, int] = {
    CueName.NEGATIVE: 1,
    CueName.GO: 1,
    CueName.BOTTOM_HOLD: 2,
    CueName.TOP_HOLD: 2,
    CueName.POSITIVE: 3,
    CueName.EXPLOSIVE: 3,
    CueName.SET_DONE: 4,
    CueName.DONE: 4,
    CueName.TICK: 0,
}
"""How many bells a cue rings (1 if not listed): as far as a bell can tell phases apart — 1 down,
2 hold, 3 push, 4 the set is over. The countdown's 3-2-1 stays one bell a second."""
BELL_CODE = f"{BELLS[CueName.NEGATIVE]} down, {BELLS[CueName.BOTTOM_HOLD]} hold, {BELLS[CueName.POSITIVE]} push"
"""The code in the lifter's words, for the sound line."""
BELL_GAP_S = 0.15
"""Between the bells of one cue: far enough apart that a terminal rings each."""


class BellBackend:
    """The terminal bell, rung a cue's number of times (`BELLS`). `ring` is the app's (e.g. App.bell,
    hopped onto its loop with a message): writing BEL to the terminal behind Textual's back is
    wrong. The first bell rings at once; the others from a short-lived thread, so the cue thread
    never waits."""

    name = "bell"

    def __init__(self, ring: Ring, notice: str = "terminal bell", why: str = "no sound", gap_s: float = BELL_GAP_S) -> None:
        self.ring = ring
        self.notice = notice
        self.why = why
        """Why there is no real sound, in the lifter's words: 'no sound card found'."""
        self.gap_s = gap_s
        self._closed = threading.Event()

    def play(self, cue: str, volume: float) -> None:
        count = BELLS.get(cue, 1) if volume_step(volume) > 0 and not self._closed.is_set() else 0
        if count:
            self.ring()
        if count > 1:
            threading.Thread(target=self._ring_more, args=(count - 1,), name="tempo-coach-bell", daemon=True).start()

    def _ring_more(self, count: int) -> None:
        for _ in range(count):
            if self._closed.wait(self.gap_s):
                return
            self.ring()

    def close(self) -> None:
        self._closed.set()


class SimpleaudioBackend:
    """Plays prepared buffers through simpleaudio. Buffers are made per volume step, ahead of time."""

    name = "simpleaudio"

    def __init__(self, clips: dict[str, Clip], volume: float, module: ModuleType, notice: str = "simpleaudio") -> None:
        self.clips = clips
        self.notice = notice
        self.durations = {name: clip.seconds for name, clip in clips.items()} | voice_lengths()
        """How long each cue and voice recording lasts (the coach plans the voice with it)."""
        self.failures = 0
        self.last_error = ""
        self._sa = module
        self._buffers: dict[int, dict[str, bytes]] = {}
        self._voices: dict[tuple[str, int], tuple[bytes, int]] = {}
        self._lock = threading.Lock()
        self._playing: collections.deque[Any] = collections.deque(maxlen=64)
        self._closed = False
        self.prepare(volume)
        atexit.register(self.close)

    def prepare(self, volume: float, background: bool = False) -> None:
        """Scale every clip for `volume`'s step (~20 ms of pure Python), so play() never has to.

        With `background`, a daemon thread does it and returns at once; until it is done play() uses
        the nearest step already prepared (a volume key never stalls the UI or a cue)."""
        step = volume_step(volume)
        if step in self._buffers:
            return
        if background:
            threading.Thread(target=self.prepare, args=(volume,), name="tempo-coach-volume", daemon=True).start()
            return
        gain = step_gain(step)
        buffers = {name: clip.scaled(gain) for name, clip in self.clips.items()}
        with self._lock:
            self._buffers[step] = buffers

    def buffer(self, cue: str, volume: float) -> bytes | None:
        """The exact bytes play() would hand to the device (None: silent or unknown cue)."""
        step = volume_step(volume)
        if step == 0:
            return None
        if cue.startswith(VOICE_PREFIX):
            return self._voice_buffer(cue, step)
        ready = self._buffers.get(step)
        if ready is None:
            with self._lock:
                nearest = min(self._buffers, key=lambda s: (abs(s - step), s))
                ready = self._buffers[nearest]
        return ready.get(cue) or None

    def _voice_buffer(self, cue: str, step: int) -> bytes | None:
        """A voice cue's words joined and scaled (made the first time it is asked for, then kept)."""
        key = (cue, step)
        if key not in self._voices:
            data, rate = spoken(words_of(cue))
            self._voices[key] = (Clip(data, 1, rate).scaled(step_gain(step)), rate)
        return self._voices[key][0] or None

    def play(self, cue: str, volume: float) -> None:
        data = self.buffer(cue, volume)
        if data is None or self._closed:
            return
        clip = self.clips[cue] if cue in self.clips else Clip(data, 1, self._voices[(cue, volume_step(volume))][1])
        try:
            self._playing.append(self._sa.play_buffer(data, clip.channels, 2, clip.rate))
        except Exception as error:  # SimpleaudioError: the device went away or is busy; keep coaching
            self.failures += 1
            self.last_error = str(error)

    def probe(self) -> None:
        """Open the device once with a short silence; raises AudioError if it cannot be opened."""
        silence = bytes(2 * int(_PROBE_S * 44_100))
        try:
            player = self._sa.play_buffer(silence, 1, 2, 44_100)
        except Exception as error:
            raise AudioError(str(error)) from None
        self._playing.append(player)
        self.wait_quiet()

    def close(self) -> None:
        """Stop every sound and wait for simpleaudio's playback threads to finish (safe twice)."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self._sa.stop_all()
        self.wait_quiet()

    def wait_quiet(self, timeout: float = _STOP_WAIT_S) -> None:
        """Return when nothing this backend started is still playing (or after `timeout` s)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(_is_playing(p) for p in list(self._playing)):
            time.sleep(0.005)


def _is_playing(player: Any) -> bool:
    try:
        return bool(player.is_playing())
    except Exception:
        return False


# ---- choosing one ---------------------------------------------------------------------------------


def open_backend(preset: Preset, mute: bool, ring: Ring, shipped: Path | None = None) -> Backend:
    """The backend to coach with, its `notice` saying which and why. Never raises for a missing device."""
    if mute:
        return NullBackend("muted: visual cues only")
    try:
        import simpleaudio  # type: ignore[import-untyped]
    except ImportError as error:
        return BellBackend(ring, bell_because(f"simpleaudio is not installed ({error})"), "simpleaudio missing")
    clips, problems = load_sounds(preset, shipped)
    if not clips:
        return BellBackend(ring, bell_because(f"no sound could be loaded ({'; '.join(problems)})"), "no sound files")
    backend = SimpleaudioBackend(clips, preset.volume, simpleaudio)
    try:
        with _alsa_quiet():
            backend.probe()
    except AudioError as error:
        backend.close()
        return BellBackend(ring, bell_because(f"no audio device ({_device_reason(error)})"), "no sound card found")
    extra = f" ({'; '.join(problems)})" if problems else ""
    backend.notice = f"playing on the default audio device{extra}"
    return backend


def bell_because(reason: str) -> str:
    """The bell backend's notice: why there is no real sound."""
    return f"{reason}; the terminal bell instead"


def _device_reason(error: AudioError) -> str:
    """simpleaudio's 'Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory' -> the MSG."""
    text = str(error)
    return text.split("MSG:", 1)[1].strip() if "MSG:" in text else text


# ---- ALSA error silencing -------------------------------------------------------------------------

_HANDLER: Any = None
ALSA_MESSAGES: collections.deque[str] = collections.deque(maxlen=20)
"""The last ALSA errors swallowed (their format strings, unexpanded): for diagnostics."""


def _on_alsa_error(file: bytes | None, line: int, function: bytes | None, err: int, fmt: bytes | None) -> None:
    try:
        ALSA_MESSAGES.append(f"{(function or b'?').decode(errors='replace')}: {(fmt or b'').decode(errors='replace')}")
    except Exception:
        pass


def _libasound() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    for name in ("libasound.so.2", ctypes.util.find_library("asound")):
        if name:
            try:
                return ctypes.CDLL(name)
            except OSError:
                continue
    return None


def silence_alsa_errors() -> bool:
    """Route ALSA's error messages to ALSA_MESSAGES instead of stderr; True when installed."""
    global _HANDLER
    if _HANDLER is not None:
        return True
    lib = _libasound()
    if lib is None:
        return False
    # snd_lib_error_handler_t: void (*)(const char *file, int line, const char *function, int err, const char *fmt, ...)
    handler_type = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)
    handler = handler_type(_on_alsa_error)
    lib.snd_lib_error_set_handler(handler)
    _HANDLER = handler  # kept alive for the life of the process: ALSA may call it at any time
    return True


SND_PCM_STREAM_PLAYBACK = 0
SND_PCM_NONBLOCK = 1


def alsa_default_output_problem() -> str | None:
    """Why ALSA's default playback device does not open, or None when it opens (or where ALSA is
    not how this system plays sound). A quick look before loading a sound library that would probe
    every device; the plugins it loads are let go again (`release_alsa_plugins`)."""
    lib = _libasound()
    if lib is None:
        return None
    silence_alsa_errors()
    lib.snd_strerror.restype = ctypes.c_char_p
    pcm = ctypes.c_void_p()
    code = lib.snd_pcm_open(ctypes.byref(pcm), b"default", SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK)
    if code == 0:
        lib.snd_pcm_close(pcm)
    release_alsa_plugins()
    return None if code == 0 else (lib.snd_strerror(code) or b"error").decode(errors="replace")


def release_alsa_plugins() -> None:
    """Let go of ALSA's configuration and of the plugins it loaded for devices no longer open.

    Listing devices (PortAudio does, as it loads) opens every PCM the configuration names, and so
    loads every ALSA plugin installed: with libasound2-plugins that is libavcodec and its codecs,
    about 11 MB of resident memory kept for the life of the process, for devices never played on.
    ALSA reads its configuration again when a device is next opened (PortAudio frees it this way
    at its own end)."""
    lib = _libasound()
    if lib is not None:
        lib.snd_config_update_free_global()


@contextlib.contextmanager
def _alsa_quiet() -> Iterator[None]:
    """Silence ALSA for the probe: its error handler if possible, else fd 2 -> /dev/null meanwhile."""
    if silence_alsa_errors():
        yield
        return
    with stderr_to_devnull():
        yield


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """For the life of the TUI: Python's stderr (where Textual draws) goes on to the terminal through
    a duplicate of file descriptor 2, while fd 2 itself points at /dev/null, so what C libraries
    write there directly (PortAudio's "Expression ... failed" when a device goes away, JACK's probes)
    never lands on the screen."""
    sys.stderr.flush()
    saved_fd = os.dup(2)
    terminal = os.fdopen(os.dup(2), "w", buffering=1, encoding=sys.stderr.encoding, errors="backslashreplace")
    saved = sys.stderr, sys.__stderr__
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        sys.stderr = terminal
        setattr(sys, "__stderr__", terminal)  # Textual draws on sys.__stderr__
        yield
    finally:
        terminal.flush()
        sys.stderr = saved[0]
        setattr(sys, "__stderr__", saved[1])
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
        terminal.close()


@contextlib.contextmanager
def stderr_to_devnull() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the duration (C libraries write there directly)."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
