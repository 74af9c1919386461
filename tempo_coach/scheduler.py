"""The one thread that sleeps to absolute monotonic deadlines, advances the engine and fires cues.

`Coach` owns the `Workout` and serialises every touch of it behind one lock: the scheduler thread
advancing time, and the lifter's actions arriving from the UI. Listeners get the engine's events
(from whichever thread produced them; the app hops them onto its own loop), and screens read a
consistent `View` with `coach.view()`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tempo_coach.engine import Event, View, Workout

Clock = Callable[[], float]
Listener = Callable[[list[Event]], None]
"""Called with each batch of events, in order, while the coach's lock is held: it must not block
(the app posts a message; it never waits on its own loop from here)."""


class Coach:
    """Runs a workout in real time. Thread-safe; `step()` alone runs it without a thread (tests)."""

    def __init__(self, workout: Workout, on_events: Listener, clock: Clock = time.monotonic) -> None:
        self.workout = workout
        self.clock = clock
        self._on_events = on_events
        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- life cycle ------------------------------------------------------------------------

    def start(self, threaded: bool = True) -> None:
        """Begin the workout now; with `threaded`, a daemon thread keeps time from here on."""
        self._act(self.workout.start)
        if threaded:
            self._thread = threading.Thread(target=self._run, name="tempo-coach-scheduler", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the thread and wait for it; safe to call twice."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)

    # ---- what the lifter does (any thread) -------------------------------------------------

    def pause(self) -> None:
        self._act(self.workout.pause)

    def resume(self) -> None:
        self._act(self.workout.resume)

    def toggle_pause(self) -> None:
        self._act(self.workout.resume if self.workout.paused else self.workout.pause)

    def toggle_fallback(self) -> None:
        self._act(self.workout.toggle_fallback)

    def end_set(self) -> None:
        self._act(self.workout.end_set)

    def skip_rest(self) -> None:
        self._act(self.workout.skip_rest)

    def view(self) -> View:
        with self._lock:
            return self.workout.view(self.clock())

    def step(self) -> None:
        """Perform everything due by now (the thread calls this; tests call it after moving the clock)."""
        self._act(self.workout.advance)

    # ---- inside ----------------------------------------------------------------------------

    def _act(self, action: Callable[[float], list[Event]]) -> None:
        """Apply one engine call at the current time and tell the listener; wake the thread."""
        with self._lock:
            events = action(self.clock())
            if events:
                self._on_events(events)
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                deadline = self.workout.next_deadline
            timeout = None if deadline is None else max(0.0, deadline - self.clock())
            if self._wake.wait(timeout):
                self._wake.clear()
                continue
            self.step()
