"""The one thread that sleeps to absolute monotonic deadlines, fires cues and advances the engine.

`Coach` owns the `Workout` and serialises every touch of it behind one lock: the scheduler thread
advancing time, and the lifter's actions arriving from the UI. Listeners get the engine's events
(from whichever thread produced them; the app hops them onto its own loop), and screens read a
consistent `View` with `coach.view()`.

Cues. After every change (a transition, pause, resume, fallback, end-set, skip-rest) the coach
re-plans the cues still to come from the engine itself: the rest of the current phase (its ticks
and countdown, shifted by any time spent paused) plus `Workout.lookahead()` a little past the audio
offset. A cue fires at `at - audio_offset_s` (early, for Bluetooth latency) while the engine still
changes phase at `at`. Fired cues are remembered by `Cue.key`, so re-planning never plays one twice;
planned cues that a change made wrong are simply not in the new plan. Cues due now because of an
action (set done on end-set, rest over on skip-rest) are played by the thread too, never on the
caller's (UI) thread.

Voice. With a `voice` mode and a backend that has the recordings (its `durations`), the plan holds
voice cues too, placed by `cues.arrange` after their beep; one that would not fit is logged with
`skipped` and not played. A re-plan keeps the voice cues already placed (unless paused), so an
action never moves or drops a word that still fits.

Backends that schedule (the open stream: `schedule`, `hush`) get the whole plan ahead of time
instead of `play` calls: after every re-plan the cue thread hands them the pending sounds, each at
its time less the offset, and the backend places them by sample; on pause it fades out what plays.
The thread still wakes at each cue to log it. A finished set is committed before the plan that
holds its sound is handed over.

Timing. The thread waits on an Event with a timeout computed from the absolute deadline until
`spin_s` before it, then spins on the clock for the rest: the OS wakes a sleeper a millisecond or
more late now and then, and a thread waking while the UI holds the GIL waits up to the switch
interval (5 ms by default) for it. `start()` therefore lowers `sys.setswitchinterval` to 0.5 ms
(bench/cue_timing.py measures both).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

from tempo_coach.audio.backend import Backend, NullBackend, Scheduled
from tempo_coach.core.cues import Cue, arrange, cues_for
from tempo_coach.core.engine import Action, Workout
from tempo_coach.core.events import Event, SetCompleted, View
from tempo_coach.core.load import Load
from tempo_coach.core.model import Voice
from tempo_coach.core.routine import SetPlan
from tempo_coach.runtime.cue_log import CueLog, reason

Clock = Callable[[], float]
Listener = Callable[[list[Event]], None]
"""Called with each batch of events, in order, while the coach's lock is held: it must not block
(the app posts a message; it never waits on its own loop from here)."""

SPIN_S = 0.001
"""Wake this long before a cue and spin on the clock for the rest (see the module docstring).
1 ms met the timing targets with a CPU hog beside it (bench/RESULTS.md); each cue costs that much CPU."""
SWITCH_INTERVAL_S = 0.0005
NICE = -10
"""The scheduler thread asks for this niceness (best effort: unprivileged users usually may not
go below 0, and then nothing changes). A busy machine otherwise delays its wake-ups by milliseconds."""
LATE_GRACE_S = 0.25
"""A cue due by an event this much in the past is skipped (e.g. after the machine slept)."""
VOLUME_STEP = 0.1
_FORGET_S = 120.0
STALL_S = 1.0
"""A wake-up this far past a deadline is a stall (the process was stopped), not a late tick."""
GIVE_UP_AFTER = 5
"""Errors in a row after which the timer thread stops (and says so)."""
FAILURE_PAUSE_S = 0.1
STOP_WAIT_S = 0.5
"""How long `stop` waits for the thread: it wakes at once unless a backend's play call hangs."""


class Coach:
    """Runs a workout in real time. Thread-safe; `step()` alone runs it without a thread (tests)."""

    def __init__(
        self,
        workout: Workout,
        on_events: Listener,
        clock: Clock = time.monotonic,
        *,
        backend: Backend | None = None,
        audio_offset_s: float = 0.0,
        cue_log: Path | IO[str] | None = None,
        volume: float | None = None,
        spin_s: float = SPIN_S,
        commit: Callable[[], object] | None = None,
        on_notice: Callable[[str], None] | None = None,
        voice: Voice = Voice.OFF,
    ) -> None:
        self.workout = workout
        self.clock = clock
        self.backend: Backend = backend if backend is not None else NullBackend()
        self.audio_offset_s = max(0.0, audio_offset_s)
        self.volume = workout.preset.volume if volume is None else _clamp(volume)
        self.muted = False
        self.spin_s = spin_s
        self.voice = voice
        self._on_events = on_events
        self._commit = commit or (lambda: None)
        self._on_notice = on_notice
        self._uncommitted = False
        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.boosted = False
        """Whether the scheduler thread got its higher priority (NICE)."""
        self._pending: list[Cue] = []
        self._plan_version = 0
        self._synced_version = -1
        self._sync_lock = threading.Lock()
        self._fired: dict[tuple[str, str | None, int | None, int | None, int], float] = {}
        self._log = CueLog(cue_log, self._notice)
        self._prepare(self.volume)

    # ---- life cycle ------------------------------------------------------------------------

    def start(self, threaded: bool = True) -> None:
        """Begin the workout now; with `threaded`, a daemon thread keeps time from here on."""
        with self._lock:
            now = self.clock()
            self._deliver(now, self.workout.start(now))
        if threaded:
            self._ensure_thread()

    def stop(self) -> None:
        """Stop the thread and wait for it; close the cue log. Safe to call twice.
        The backend is the app's: it closes it (stopping any sound) after this."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=STOP_WAIT_S)
        self._log.close()

    # ---- what the lifter does (any thread) -------------------------------------------------

    def act(self, action: Action) -> str | None:
        """Perform the lifter's action now; returns why it was refused (None: done). Either way
        every event due by now reaches the listener."""
        with self._lock:
            now = self.clock()
            stalled = self._resume_after_stall(now)
            outcome = self.workout.act(action, now)
            self._deliver(now, stalled + list(outcome.events))
        self._wake.set()
        return outcome.refused

    def view(self) -> View:
        with self._lock:
            return self.workout.view(self.clock())

    def change_load(self, load: Load, target: SetPlan | None = None) -> str | None:
        """The next set's (or `target`'s) load, and its exercise's later sets'; returns why not.
        Timing is unchanged."""
        with self._lock:
            return self.workout.change_load(load, target)

    def step(self) -> None:
        """Perform every transition due by now, then fire the cues due by now (the thread calls
        this; tests call it after moving the clock). Transitions first: a set that has just ended
        reaches the listener, and is committed, before its "set over" sound plays."""
        self.sync_backend()
        with self._lock:
            now = self.clock()
            events = self._caught_up(now)
            if events:
                self._deliver(now, events)
        self._fire_due()

    def catch_up(self) -> None:
        """Perform every transition due by now without playing a sound (after `stop`, so that a
        deadline that has just passed counts before the set in progress is saved)."""
        with self._lock:
            events = self._caught_up(self.clock())
            if events:
                self._on_events(events)

    def _caught_up(self, now: float) -> list[Event]:
        """Every transition due by `now`, a stall counted as a pause (lock held)."""
        return self._resume_after_stall(now) + self.workout.advance(now)

    def _resume_after_stall(self, now: float) -> list[Event]:
        """A wake-up far past a deadline means the process was stopped (SIGSTOP, a debugger, a
        frozen machine): nobody was coached meanwhile, so the gap counts as a pause that began at
        the missed deadline, not as reps done."""
        deadline = self.workout.next_deadline
        if deadline is None or now - deadline < STALL_S:
            return []
        events = list(self.workout.act(Action.PAUSE, deadline).events)
        events += self.workout.act(Action.RESUME, now).events
        self._notice(f"The coach was stopped for {now - deadline:.1f} s; it carries on from where it was.")
        return events

    # ---- sound controls (any thread) ---------------------------------------------------------

    def set_volume(self, volume: float) -> float:
        """Set the volume (0..1, quantised to tenths); returns it. Buffers are prepared off-thread."""
        self.volume = round(_clamp(volume) / VOLUME_STEP) * VOLUME_STEP
        self._prepare(self.volume)
        self._replanned()
        return self.volume

    def volume_up(self) -> float:
        return self.set_volume(self.volume + VOLUME_STEP)

    def volume_down(self) -> float:
        return self.set_volume(self.volume - VOLUME_STEP)

    def toggle_mute(self) -> bool:
        """Mute or unmute; returns whether muted. Muted cues are still logged, as backend 'none'."""
        self.muted = not self.muted
        self._replanned()
        return self.muted

    # ---- inside ----------------------------------------------------------------------------

    def _prepare(self, volume: float) -> None:
        """Have the backend scale its sounds for `volume` (on a thread of its own), if it needs to."""
        self.backend.prepare(volume)

    def _ensure_thread(self) -> None:
        if self._thread is not None:
            return
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))
        self._thread = threading.Thread(target=self._run, name="tempo-coach-scheduler", daemon=True)
        self._thread.start()

    def _deliver(self, now: float, events: list[Event]) -> None:
        """Hand `events` to the listener, then re-plan the cues (lock held): the listener first, so
        that nothing that fails in planning can lose an event. A finished set must be committed
        before its sound plays: `_fire_due` calls `commit` first."""
        try:
            if events:
                self._uncommitted = self._uncommitted or any(isinstance(e, SetCompleted) for e in events)
                self._on_events(events)
        finally:
            self._plan(now, events)

    def _plan(self, now: float, events: list[Event]) -> None:
        """Re-plan every cue still to come (lock held). `events` just happened: their cues are due.
        Voice cues already placed are passed back in, so they keep their place, as long as they still
        belong: planned again, or after a beep that has played (a word for an event that will not
        come again, like "rest"); never while paused."""
        happened = self._cues_of(events)
        upcoming = self._current_phase_cues() + self._lookahead_cues(now)
        fresh = {c.key: c.at for c in happened + upcoming if c.is_voice}  # unplaced: `at` is the anchor
        carried = [c for c in self._pending if c.is_voice and c.anchor is not None and self._still_due(c, fresh)]
        due_keys = {c.key for c in happened}
        planned = arrange(([] if self.workout.paused else carried) + happened + upcoming, self.durations)
        self._pending = [
            c for c in planned if c.key not in self._fired and c.at >= (now - LATE_GRACE_S if c.key in due_keys else now)
        ]
        self._forget(now)
        self._replanned()

    def _still_due(self, voice: Cue, fresh: dict[tuple[str, str | None, int | None, int | None, int], float]) -> bool:
        """Does a placed word still belong to the plan? Yes if the new plan has it for the same
        instant (a skip or an end-set moves or removes instants), or if it follows a beep that has
        played (a word for an event that will not come again, like "rest")."""
        assert voice.anchor is not None
        if voice.key in fresh:
            return abs(fresh[voice.key] - voice.anchor) < 0.001
        return any(abs(at - voice.anchor) < 0.001 for key, at in self._fired.items() if not key[0].startswith("voice:"))

    @property
    def durations(self) -> Mapping[str, float]:
        """How long each sound of the backend lasts (empty: it cannot speak, so no voice is planned)."""
        return self.backend.durations

    def _cues_of(self, events: list[Event]) -> list[Cue]:
        voice = self.voice if any(k.startswith("voice:") for k in self.durations) else Voice.OFF
        return [cue for event in events for cue in cues_for(event, self.workout.preset, voice)]

    def _replanned(self) -> None:
        """The plan (or the volume, or mute) changed: the cue thread hands it to a scheduling backend."""
        self._plan_version += 1
        self._wake.set()

    def sync_backend(self) -> None:
        """Hand the pending sounds to a backend that schedules them (the open stream), if the plan
        changed since the last time; a finished set is committed first. Runs on the cue thread."""
        backend = self.backend
        if not backend.schedules:
            return
        with self._sync_lock:
            with self._lock:
                if self._synced_version == self._plan_version:
                    return
                version, commit = self._plan_version, self._uncommitted
                self._uncommitted = False
                paused = self.workout.paused
                sounds = [] if self.muted else [
                    Scheduled(c.key, c.name, c.at - self.audio_offset_s, self.volume) for c in self._pending if not c.skipped
                ]
            if commit:
                self._commit()
            backend.schedule(sounds)
            if paused:
                backend.hush()
            self._synced_version = version

    def _current_phase_cues(self) -> list[Cue]:
        """The cues inside the phase now running (ticks, countdown), moved by the time spent paused."""
        current, deadline = self.workout.current, self.workout.next_deadline
        if current is None or deadline is None:
            return []
        shift = deadline - current.deadline
        return [_moved(c, shift) for c in self._cues_of([current])]

    def _lookahead_cues(self, now: float) -> list[Cue]:
        """Cues of the phases to come, far enough ahead that each fires early by the offset: past the
        next transition (re-planning happens at each transition) by the offset and a second."""
        deadline = self.workout.next_deadline
        if deadline is None:
            return []
        horizon = max(now, deadline) + self.audio_offset_s + 1.0
        return self._cues_of(self.workout.lookahead(horizon))

    def _forget(self, now: float) -> None:
        if len(self._fired) > 256:
            self._fired = {k: at for k, at in self._fired.items() if at > now - _FORGET_S}

    def next_wake(self) -> float | None:
        """When the thread must next act: the earliest cue (less the offset) or transition."""
        with self._lock:
            times = [t for t in (self.workout.next_deadline,) if t is not None]
            if self._pending:
                times.append(self._pending[0].at - self.audio_offset_s)
            return min(times) if times else None

    def _fire_due(self) -> None:
        """Play every pending cue whose time (less the offset) has come, in order; before a set's
        cues, make sure the set is committed (a kill -9 right after the sound must not lose it)."""
        with self._lock:
            now = self.clock()
            due, self._pending = _split_due(self._pending, now, self.audio_offset_s)
            for cue in due:
                self._fired[cue.key] = cue.at
            due = [cue for cue in due if cue.at - self.audio_offset_s >= now - LATE_GRACE_S]  # not stale
            commit = due and self._uncommitted
            self._uncommitted = self._uncommitted and not commit
        if commit:
            self._commit()
        for cue in due:
            self._dispatch(cue)

    def _dispatch(self, cue: Cue) -> None:
        """Play the cue now (a scheduling backend already placed it) and log it."""
        backend = self.backend
        muted = self.muted
        dispatched = self.clock()
        if not muted and not cue.skipped and not backend.schedules:
            try:
                backend.play(cue.name, self.volume)
            except Exception:  # a backend must not raise; if one does, the timing thread carries on
                pass
        self._log.write(cue, dispatched, "none" if muted else backend.name, self.audio_offset_s)

    def _notice(self, text: str) -> None:
        """Tell the lifter (through the app) about a problem the coach has worked around."""
        if self._on_notice is not None:
            with contextlib.suppress(Exception):  # the UI may be gone; the workout must go on
                self._on_notice(text)

    def _boost(self) -> None:
        """Ask for a higher priority for this (the scheduler) thread; fine if refused."""
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
        except (AttributeError, OSError):
            return
        self.boosted = True

    def _run(self) -> None:
        """The thread: wait for the next wake-up and step, until stopped. An error is a notice,
        never a silent death: the thread carries on, and gives up (saying so) only if it keeps
        failing, so the app can still save and quit."""
        self._boost()
        failures = 0
        while not self._stop.is_set():
            try:
                self._wait_then_step()
                failures = 0
            except Exception as error:
                failures += 1
                if failures >= GIVE_UP_AFTER:
                    self._notice(f"The coach's timer stopped after repeated errors ({reason(error)}); press q to save and quit.")
                    return
                self._notice(f"The coach's timer hit an error ({reason(error)}) and carries on.")
                self._stop.wait(FAILURE_PAUSE_S)  # never spin on a fault

    def _wait_then_step(self) -> None:
        self.sync_backend()
        target = self.next_wake()
        if target is None:
            self._wake.wait()
            self._wake.clear()
            return
        sleep = target - self.clock() - self.spin_s
        if sleep > 0 and self._wake.wait(sleep):
            self._wake.clear()
            return
        while self.clock() < target and not self._wake.is_set():
            pass
        if self._wake.is_set():  # something changed while spinning: look again
            self._wake.clear()
            return
        self.step()


def _split_due(cues: list[Cue], now: float, offset: float) -> tuple[list[Cue], list[Cue]]:
    """(cues due by `now` when played `offset` early, the rest) of a time-ordered list. The same
    expression as next_wake(), so a clock set to that wake-up time always finds the cue due."""
    count = next((i for i, c in enumerate(cues) if c.at - offset > now), len(cues))
    return cues[:count], cues[count:]


def _moved(cue: Cue, shift: float) -> Cue:
    return cue if shift == 0 else dataclasses.replace(cue, at=cue.at + shift)


def _clamp(volume: float) -> float:
    return min(1.0, max(0.0, volume))
