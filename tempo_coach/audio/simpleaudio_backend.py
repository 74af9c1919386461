"""simpleaudio as a backend: the coach's side of the child process in `simpleaudio_player`.

Buffers are made here per volume step, ahead of time (every WAV read at open by `sounds`, scaled
for the volume), and each is sent to the child once; a cue is then one short message. `play`
never blocks: a writer thread sends, a reader thread counts the child's answers. A child that dies
(a native crash) or stops answering (a frozen sound server) is a `failure()` within ANSWER_S, and
the coach hands over to the bell.
"""

from __future__ import annotations

import collections
import contextlib
import queue
import subprocess
import threading
import time
from collections.abc import Mapping

from tempo_coach.audio.backend import Backend, step_gain, volume_step
from tempo_coach.audio.child import await_ready, ended, start_child
from tempo_coach.audio.simpleaudio_player import PLAY, STOP, define, message
from tempo_coach.audio.voice import spoken, voice_lengths, words_of
from tempo_coach.audio.wav import Clip
from tempo_coach.core.cues import VOICE_PREFIX

FAILURES_TO_GIVE_UP = 2
"""After this many cues simpleaudio could not play (headphones gone), the next backend takes over."""
ANSWER_S = 0.5
"""A cue the child has not answered for this long: the sound server stopped answering."""
EXIT_WAIT_S = 0.3
"""How long `close` waits for the child to stop its sounds and exit before it is killed."""


class SimpleaudioBackend(Backend):
    """Plays prepared buffers through simpleaudio in a child process (see the module docstring)."""

    name = "simpleaudio"
    played_on_the_beat = True

    def __init__(self, clips: dict[str, Clip], volume: float, child: subprocess.Popen[bytes], notice: str = "simpleaudio") -> None:
        self.clips = clips
        self.notice = notice
        self.last_error = ""
        self._durations = {name: clip.seconds for name, clip in clips.items()} | voice_lengths()
        self._child = child
        self._buffers: dict[int, dict[str, bytes]] = {}
        self._voices: dict[tuple[str, int], Clip] = {}
        self._sent: set[str] = set()
        self._lock = threading.Lock()
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._unanswered: collections.deque[float] = collections.deque()
        self._errors = 0
        self._gone = False
        self._closed = False
        self._prepare_step(volume_step(volume))
        threading.Thread(target=self._send, name="tempo-coach-simpleaudio-out", daemon=True).start()
        threading.Thread(target=self._read, name="tempo-coach-simpleaudio-in", daemon=True).start()

    @property
    def durations(self) -> Mapping[str, float]:
        return self._durations

    # ---- buffers ---------------------------------------------------------------------------------

    def prepare(self, volume: float) -> None:
        """Scale every clip for `volume`'s step on a thread of its own (~20 ms of pure Python), so a
        volume key never stalls the UI or a cue; until then play() uses the nearest step ready."""
        step = volume_step(volume)
        if step not in self._buffers:
            threading.Thread(target=self._prepare_step, args=(step,), name="tempo-coach-volume", daemon=True).start()

    def _prepare_step(self, step: int) -> None:
        buffers = {name: clip.scaled(step_gain(step)) for name, clip in self.clips.items()}
        with self._lock:
            self._buffers[step] = buffers

    def clip(self, cue: str, volume: float) -> Clip | None:
        """The exact sound play() would hand to the device (None: silent or unknown cue)."""
        step = volume_step(volume)
        if step == 0:
            return None
        if cue.startswith(VOICE_PREFIX):
            return self._voice(cue, step)
        with self._lock:
            ready = self._buffers.get(step) or self._buffers[min(self._buffers, key=lambda s: (abs(s - step), s))]
        own = self.clips.get(cue)
        frames = ready.get(cue)
        return Clip(frames, own.channels, own.rate) if own is not None and frames else None

    def _voice(self, cue: str, step: int) -> Clip | None:
        """A voice cue's words joined and scaled (made the first time it is asked for, then kept)."""
        key = (cue, step)
        if key not in self._voices:
            data, rate = spoken(words_of(cue))
            self._voices[key] = Clip(Clip(data, 1, rate).scaled(step_gain(step)), 1, rate)
        voice = self._voices[key]
        return voice if voice.frames else None

    # ---- playing ---------------------------------------------------------------------------------

    def play(self, cue: str, volume: float) -> None:
        sound = self.clip(cue, volume)
        if sound is None or self._closed:
            return
        key = f"{cue}@{volume_step(volume)}"
        if key not in self._sent:
            self._sent.add(key)
            self._outbox.put(define(key, sound.channels, sound.rate, sound.frames))
        self._unanswered.append(time.monotonic())
        self._outbox.put(message(PLAY, key.encode()))

    def _send(self) -> None:
        """The writer thread: a child that stops reading blocks it, never the cue thread."""
        stdin = self._child.stdin
        assert stdin is not None
        try:
            while (frame := self._outbox.get()) is not None:
                stdin.write(frame)
                stdin.flush()
        except (OSError, ValueError):  # the child is gone: the reader says so
            pass
        with contextlib.suppress(OSError, ValueError):  # closed even when the last flush fails, so
            stdin.close()  # nothing is left to flush into a broken pipe when it is collected

    def _read(self) -> None:
        """The reader thread: each answer settles the oldest cue; the end of the output is the child's."""
        stdout = self._child.stdout
        assert stdout is not None
        for line in stdout:
            if self._unanswered:
                self._unanswered.popleft()
            if line.startswith(b"e "):
                self._errors += 1
                self.last_error = line[2:].decode(errors="replace").strip()
        self._gone = True

    def failure(self) -> str | None:
        if self._closed:
            return None
        if self._gone:
            return f"simpleaudio {ended(self._child.wait())}"
        if self.stalled():
            return "the sound device stopped answering"
        if self._errors >= FAILURES_TO_GIVE_UP:
            return f"the audio device stopped working ({self.last_error})"
        return None

    def stalled(self) -> bool:
        try:
            oldest = self._unanswered[0]
        except IndexError:  # every cue answered (the reader may have just taken the last)
            return False
        return time.monotonic() - oldest > ANSWER_S

    def close(self) -> None:
        """Stop every sound; the child exits at the end of its input, or is killed after EXIT_WAIT_S."""
        if self._closed:
            return
        self._closed = True
        self._outbox.put(message(STOP))
        self._outbox.put(None)
        try:
            self._child.wait(EXIT_WAIT_S)
        except subprocess.TimeoutExpired:
            self._child.kill()


def open_simpleaudio(clips: dict[str, Clip], volume: float) -> SimpleaudioBackend:
    """simpleaudio's child started and ready (it played a short silence); AudioError says why not."""
    child = start_child("tempo_coach.audio.simpleaudio_player")
    await_ready(child, "simpleaudio")
    return SimpleaudioBackend(clips, volume, child)
