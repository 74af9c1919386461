"""Which sound backend to coach with (`--backend auto|stream|simpleaudio|bell`), and which takes over
when one fails mid-workout. Never raises for a missing device: the next backend says why in its notice.

    auto         the open stream if it opens, else simpleaudio, else the terminal bell
    stream       the same, saying why when the stream cannot open
    simpleaudio  simpleaudio, else the terminal bell (as before the stream existed)
    bell         the terminal bell
"""

from __future__ import annotations

from tempo_coach.audio.backends import AudioError, Backend, BellBackend, NullBackend, Ring, SimpleaudioBackend, bell_because, open_backend
from tempo_coach.audio.stream import PortAudioMissing, StreamBackend, open_stream
from tempo_coach.core.model import Preset

SOUND_FAILURES_TO_GIVE_UP = 2
"""After this many cues simpleaudio could not play (headphones gone), the next backend takes over."""


def open_sound(preset: Preset, backend: str, ring: Ring, *, mute: bool = False, keep_awake: bool = True) -> Backend:
    """The backend to coach with, its `notice` saying which and why (blocking: it probes the device)."""
    if mute:
        return NullBackend("muted: visual cues only")
    if backend == "bell":
        return BellBackend(ring, "the terminal bell (--backend bell)", "--backend bell")
    if backend in ("auto", "stream"):
        try:
            return open_stream(preset, keep_awake)
        except AudioError as error:
            fallback = open_backend(preset, mute=False, ring=ring)
            if backend == "stream" or isinstance(error, PortAudioMissing):  # on auto too: the lifter can install it
                fallback.notice = f"{fallback.notice} (no open stream: {error})"
            return fallback
    return open_backend(preset, mute=False, ring=ring)


def failure(backend: Backend | None) -> str | None:
    """Why `backend` stopped playing mid-workout, or None while it plays."""
    if isinstance(backend, StreamBackend):
        return backend.failure()
    if isinstance(backend, SimpleaudioBackend) and backend.failures >= SOUND_FAILURES_TO_GIVE_UP:
        return f"the audio device stopped working ({backend.last_error})"
    return None


def replacement(failed: Backend, preset: Preset, ring: Ring, reason: str) -> Backend:
    """The backend that takes over from `failed` (blocking when it has to probe a device): the open
    stream hands over to simpleaudio (or the bell), simpleaudio to the bell."""
    if isinstance(failed, StreamBackend):
        return open_backend(preset, mute=False, ring=ring)
    return BellBackend(ring, bell_because(reason), "sound card stopped")
