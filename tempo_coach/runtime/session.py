"""`WorkoutSession`: one block of sets (a preset's, or one exercise or superset of a routine), run in
real time. No Textual.

It owns the engine (through the `Coach` and its cue thread), the sound backend and the history
`Recorder`, starts them in order, and stops them in the one safe order: stop and join the cue
thread, then close the sound (no cue can start any more), then commit the history. Everything that
goes wrong on a thread reaches the host through `notice`, never a silent death.

The host (the Textual app, or a test) gets three calls, each from any thread and each quick:
`events(batch)`, `notice(text)` and `ring()` (the bell backend's terminal bell).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

from tempo_coach.audio.backend import Backend
from tempo_coach.audio.choose import open_sound, replacement
from tempo_coach.core.engine import Action, Workout
from tempo_coach.core.events import Event, SetCompleted, View
from tempo_coach.core.load import Load
from tempo_coach.core.model import Preset
from tempo_coach.core.routine import SetPlan
from tempo_coach.core.text import plural
from tempo_coach.history.recorder import Recorder
from tempo_coach.runtime.options import RunOptions
from tempo_coach.runtime.scheduler import SPIN_S, Clock, Coach

COMMIT_BEFORE_SOUND_S = 0.5
"""How long the cue thread waits for a finished set to be committed before its sound plays."""
SAVE_AT_EXIT_S = 0.5
"""How long closing waits for each of the history's two last steps (the set in progress, then the
retry of anything unsaved and the JSON file): a signal must end the process within 2 s."""


class SessionHost(Protocol):
    """Who hears from a running session: each call may come from any thread and must not block."""

    def events(self, batch: list[Event]) -> None: ...

    def notice(self, text: str) -> None: ...

    def ring(self) -> None: ...


class Sound:
    """The sound backend for one preset, opened once (it reads WAVs and probes the device, so it
    is opened off the UI loop) and replaced when the device fails: the open stream by simpleaudio
    (or the bell), simpleaudio by the bell.

    Closing never waits for an opening: `open` holds only its own lock while it probes, and a
    backend that arrives after `close` (a quit while the sound was opening) is closed at once.
    Every backend's `close` returns promptly, so closing is safe on the UI loop and at exit."""

    def __init__(self, options: RunOptions, ring: Callable[[], None]) -> None:
        self.options = options
        self.backend: Backend | None = None
        self._ring = ring
        self._preset: Preset | None = None
        self._opening = threading.Lock()
        """One opener at a time; never taken by `close`."""
        self._state = threading.Lock()
        """Guards `backend`, `_preset`, `_handover` and `_closes`; never held during a call into a sound library."""
        self._closes = 0
        """How many times `close` was called: an opening that began before a close is not kept."""
        self._handover: tuple[str, Backend] | None = None
        self._replacing = False

    def open(self, preset: Preset) -> Backend:
        """The backend for `preset` (blocking: call it on a worker thread)."""
        with self._opening:
            with self._state:
                current, closes = self.backend, self._closes
                if current is not None and self._preset is preset:
                    return current
                self.backend, self._preset = None, None
            if current is not None:
                current.close()
            options = self.options
            backend = open_sound(preset, options.backend, self._ring, mute=options.mute, keep_awake=options.keep_awake)
            with self._state:
                if closes == self._closes:
                    self.backend, self._preset = backend, preset
                    return backend
            backend.close()  # closed while it was opening: nobody will play on it
            return backend

    def failed_device(self) -> str | None:
        """If the device stopped playing, hand over to the next backend; returns why once the
        replacement plays (None: all well, or the replacement is still being opened). Never blocks:
        a replacement that probes a device is opened on a thread of its own."""
        failing = self.backend
        if self._replacing or failing is None or self._preset is None:
            return None
        with self._state:
            handover, self._handover = self._handover, None
        if handover is not None:
            return self._take_over(failing, *handover)
        reason = failing.failure()
        if reason is None:
            return None
        if failing.stalled():  # nothing to probe: the bell takes over now
            return self._take_over(failing, reason, replacement(failing, self._preset, self._ring, reason))
        self._replacing = True
        args = (failing, self._preset, reason, self._closes)
        threading.Thread(target=self._replace, args=args, name="tempo-coach-sound-handover", daemon=True).start()
        return None

    def _take_over(self, failing: Backend, reason: str, backend: Backend) -> str | None:
        """`backend` plays instead of `failing`, which is closed on a thread of its own (a device that
        stopped answering may not let go at once); returns why. If the sound was closed meanwhile,
        `backend` is closed instead and nothing is said."""
        with self._state:
            current = self.backend is failing
            if current:
                self.backend = backend
        closing = failing if current else backend
        threading.Thread(target=closing.close, name="tempo-coach-sound-close", daemon=True).start()
        return reason if current else None

    def _replace(self, failing: Backend, preset: Preset, reason: str, closes: int) -> None:
        try:
            backend = replacement(failing, preset, self._ring, reason)
            with self._state:
                if closes == self._closes:
                    self._handover = (reason, backend)
                    return
            backend.close()  # the session closed meanwhile
        finally:
            self._replacing = False

    def close(self) -> None:
        """Close the backend; the next `open` opens a fresh one (the next exercise, or the same
        preset started again from the start screen, must not get a closed device)."""
        with self._state:
            backend, self.backend, self._preset = self.backend, None, None
            handover, self._handover = self._handover, None
            self._closes += 1
        for each in (backend, handover[1] if handover else None):
            if each is not None:
                each.close()


def sound_line(backend: Backend | None, muted: bool, volume: float, flash: bool = False) -> str:
    """What the lifter hears, plainly, in one line that fits 80 columns: 'sound: no sound card
    found: terminal bell (1 down, 2 hold, 3 push)', 'sound: simpleaudio · volume 80% — playing on
    the default audio device'. What `m`, `+` and `-` change comes first, so a narrow terminal cuts the
    explanation, not the state; a device's own error text stays out (the cue log has it)."""
    also = " + flash" if flash else ""
    if backend is None:
        return f"sound: none — not opened{also}"
    return f"sound: {backend.line(muted, volume, also)}"


def _spin_for(backend: Backend) -> float:
    """Only a backend played at the instant itself (simpleaudio) needs the spin."""
    return SPIN_S if backend.played_on_the_beat else 0.0


class WorkoutSession:
    """One block of sets (a preset's sets, or one exercise or superset of a routine) from the first
    get-ready countdown to the last set saved."""

    def __init__(
        self,
        preset: Preset,
        options: RunOptions,
        host: SessionHost,
        sound: Sound,
        clock: Clock = time.monotonic,
        plans: tuple[SetPlan, ...] | None = None,
        routine: str = "",
    ) -> None:
        self.preset = preset
        self.plans = plans
        """The block's sets; None: `preset`'s own sets."""
        self.options = options
        self.host = host
        self.sound = sound
        self.clock = clock
        self.recorder = Recorder(preset, options.history, on_notice=host.notice, routine=routine)
        self.coach: Coach | None = None
        self._closed = False
        self._wrapped_up = False
        self._close_lock = threading.Lock()
        self._tags: dict[int, dict[str, str]] = {}

    # ---- life cycle ------------------------------------------------------------------------

    def start(self, backend: Backend, threaded: bool = True) -> None:
        """Start the workout now with `backend` (from `Sound.open`); the get-ready runs from now."""
        self.coach = Coach(
            Workout(self.plans or self.preset),
            self._on_events,
            self.clock,
            backend=backend,
            audio_offset_s=self.options.audio_offset_s,
            cue_log=self.options.cue_log,
            spin_s=_spin_for(backend),
            commit=lambda: self.recorder.flush(COMMIT_BEFORE_SOUND_S),
            on_notice=self.host.notice,
            voice=self.options.voice_for(self.preset.voice),
        )
        self.coach.start(threaded=threaded)

    def close(self) -> str:
        """Stop in order: the cue thread (joined), then the sound, then the history, saving the set
        in progress as cut short. Returns what became of the sets, for the lifter. Safe twice."""
        with self._close_lock:  # a second caller waits for the first to finish saving
            if not self._closed:
                self._closed = True
                self._stop_in_order()
        return self.saved_note()

    def wrap_up(self) -> str:
        """The block is over: stop the cue thread and the sound, and commit every set. The history
        stays open, so the summary can still tag the last set (`tag`), until `close`. Returns what
        became of the sets."""
        with self._close_lock:
            if not self._closed and not self._wrapped_up:
                self._wrapped_up = True
                self._stop_playing()
                self.recorder.flush(SAVE_AT_EXIT_S)
        return self.saved_note()

    def _stop_in_order(self) -> None:
        partial = None if self._wrapped_up else self._stop_playing()
        self.recorder.save_partial(partial, SAVE_AT_EXIT_S)
        self.recorder.close(SAVE_AT_EXIT_S)

    def _stop_playing(self) -> SetCompleted | None:
        """Stop and join the cue thread, then close the sound; returns the set in progress, if any."""
        partial = None
        if self.coach is not None:
            self.coach.stop()
            self.coach.catch_up()  # a deadline just passed still ends its rep or set normally
            partial = self.coach.workout.partial_set(self.clock())
        self.sound.close()
        return partial

    def saved_note(self) -> str:
        """Where the sets went, or why they did not."""
        if self.recorder.error:
            return self.recorder.error
        saved = f"Saved {plural(self.recorder.saved, 'set')} to history"
        waiting = len(self.recorder.unsaved)
        if waiting:
            return f"{saved}; {plural(waiting, 'set')} not saved yet (tried again until you leave)"
        return f"{saved} · see them with: tempo-coach history"

    # ---- while it runs ---------------------------------------------------------------------

    @property
    def workout(self) -> Workout | None:
        return self.coach.workout if self.coach is not None else None

    def act(self, action: Action) -> str | None:
        """The lifter's action now; returns why it was refused (None: done, or not started)."""
        return self.coach.act(action) if self.coach is not None else None

    def view(self) -> View | None:
        return self.coach.view() if self.coach is not None else None

    def tag(self, result: SetCompleted, rir: int | None = None, note: str | None = None) -> str:
        """Keep the lifter's reps in reserve and/or note for a finished set (saved by the history's
        writer, never on the caller's thread); returns all that is said of it: 'RIR 2 · note: ...'."""
        said = self._tags.setdefault(result.set, {})
        if rir is not None:
            said["rir"] = f"RIR {rir}{'+' * (rir >= 4)}"
        if note is not None:
            said["note"] = f"note: {note}"
        self.recorder.tag(result, rir=rir, note=note)
        return " · ".join(said.values())

    def change_load(self, load: Load, target: SetPlan | None = None) -> str | None:
        """The next set's (or `target`'s) load; returns why it cannot change now."""
        return self.coach.change_load(load, target) if self.coach is not None else "the workout has not started"

    def check_sound(self) -> str | None:
        """A device that stopped mid-workout: the next backend takes over; returns the notice to show."""
        reason = self.sound.failed_device()
        backend = self.sound.backend
        if reason is None or self.coach is None or backend is None:
            return None
        self.coach.backend, self.coach.spin_s = backend, _spin_for(backend)
        using = "the terminal bell" if backend.name == "bell" else backend.name
        return f"Sound: {reason}; using {using}."

    def sound_line(self, flash: bool = False) -> str:
        coach = self.coach
        if coach is None:
            return "sound: opening…"
        return sound_line(self.sound.backend, coach.muted, coach.volume, flash)

    @property
    def muted(self) -> bool:
        return self.coach is not None and self.coach.muted

    @property
    def has_volume(self) -> bool:
        """Whether `+` and `-` mean anything: a sound device has a volume, the bell and silence not."""
        backend = self.sound.backend
        return backend is not None and backend.has_volume

    def toggle_mute(self) -> None:
        if self.coach is not None:
            self.coach.toggle_mute()

    def change_volume(self, step: int) -> None:
        if self.coach is not None:
            self.coach.volume_up() if step > 0 else self.coach.volume_down()

    def _on_events(self, batch: list[Event]) -> None:
        """The coach's listener (its lock held, any thread): enqueue finished sets, tell the host."""
        self.recorder.on_events([e for e in batch if isinstance(e, SetCompleted)])
        self.host.events(batch)
