"""Which sound backend to coach with (`--backend auto|stream|simpleaudio|bell`), and which takes over
when one fails mid-workout. Never raises for a missing device: the next backend says why in its notice.

    auto         the open stream if it opens, else simpleaudio, else the terminal bell
    stream       the same, saying why when the stream cannot open
    simpleaudio  simpleaudio, else the terminal bell (as before the stream existed)
    bell         the terminal bell

A sound server that does not answer (`NotAnswering`) leads straight to the bell: every device
backend would wait on the same server.
"""

from __future__ import annotations

from pathlib import Path

from tempo_coach.audio.backend import AudioError, Backend, NotAnswering, NullBackend, Ring
from tempo_coach.audio.bell import BellBackend, bell_because
from tempo_coach.audio.child import Crashed
from tempo_coach.audio.simpleaudio_backend import open_simpleaudio
from tempo_coach.audio.sounds import load_sounds
from tempo_coach.audio.stream import StreamBackend, open_stream
from tempo_coach.core.model import Preset


def open_sound(preset: Preset, backend: str, ring: Ring, *, mute: bool = False, keep_awake: bool = True) -> Backend:
    """The backend to coach with, its `notice` saying which and why (blocking: it probes the device)."""
    if mute:
        return NullBackend("muted: visual cues only")
    if backend == "bell":
        return BellBackend(ring, "the terminal bell (--backend bell)", "--backend bell")
    if backend == "simpleaudio":
        return simpleaudio_else_bell(preset, ring)
    try:
        return open_stream(preset, keep_awake)
    except NotAnswering as error:
        return not_answering(ring, error)
    except AudioError as error:
        fallback = simpleaudio_else_bell(preset, ring)
        if backend == "stream" or fallback.name != "bell":
            fallback.notice = f"{fallback.notice} (no open stream: {error})"
        return fallback


def simpleaudio_else_bell(preset: Preset, ring: Ring, shipped: Path | None = None) -> Backend:
    """simpleaudio playing `preset`'s sounds, else the terminal bell with the reason."""
    clips, problems = load_sounds(preset, shipped)
    if not clips:
        return BellBackend(ring, bell_because(f"no sound could be loaded ({'; '.join(problems)})"), "no sound files")
    try:
        backend = open_simpleaudio(clips, preset.volume)
    except NotAnswering as error:
        return not_answering(ring, error)
    except Crashed as error:
        return BellBackend(ring, bell_because(str(error)), str(error))
    except AudioError as error:  # no device, or no simpleaudio
        why = "no sound card found" if str(error).startswith("no audio device") else "simpleaudio unavailable"
        return BellBackend(ring, bell_because(str(error)), why)
    extra = f" ({'; '.join(problems)})" if problems else ""
    backend.notice = f"playing on the default audio device{extra}"
    return backend


def not_answering(ring: Ring, error: AudioError) -> BellBackend:
    return BellBackend(ring, bell_because(f"the sound server is not answering ({error})"), "sound server not answering")


def replacement(failed: Backend, preset: Preset, ring: Ring, reason: str) -> Backend:
    """The backend that takes over from `failed` (blocking when it has to probe a device): the open
    stream hands over to simpleaudio (or the bell), simpleaudio to the bell, and a backend whose
    sound server stopped answering straight to the bell, at once (nothing is probed)."""
    if isinstance(failed, StreamBackend) and not failed.stalled():
        return simpleaudio_else_bell(preset, ring)
    why = "sound server not answering" if failed.stalled() else "sound card stopped"
    return BellBackend(ring, bell_because(reason), why)
