"""The Recorder: saves one workout's sets as they end, and never loses one.

Every finished set goes into `_pending` (in memory) the moment it is reported, and leaves it only
once it is committed. A writer thread saves what is pending on each new set, every `retry_s` while
something is still unsaved, and at `close()`; a set it cannot save (another program holding the
write lock past the busy timeout, a full disk, a history that cannot be opened) stays pending, and
`on_notice` says so ("Set 2 not saved yet (database is locked); will retry") and, later, that it was
saved after all. What is still unsaved at `close()` is written to a JSON file beside the history
(or, if that folder is not writable, in the data folder: `unsaved.py`), and `close()` returns where.

`on_events` is called from the scheduler thread while the coach's lock is held: it only records
and wakes the writer, never waiting for the database. `flush(timeout)` waits, for a short bound: it
returns True once every set handed over is committed (visible to any new connection, safe from a
kill -9), so the cue thread calls it before a set's "set over" sound plays.

The workout row is created with its first set, so a workout abandoned before any set ended leaves
nothing behind.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tempo_coach import paths
from tempo_coach.core.events import Event, SetCompleted
from tempo_coach.core.model import Preset
from tempo_coach.history.files import BUSY_TIMEOUT_S, shown
from tempo_coach.history.records import now_utc
from tempo_coach.history.schema import HistoryError
from tempo_coach.history.store import HistoryStore
from tempo_coach.history.unsaved import unsaved_sets, write_unsaved

RETRY_S = 15.0
"""How often sets that could not be saved are tried again while nothing else happens."""
SPILL_MARGIN_S = 0.5
"""Of `close()`'s time, what is kept for writing unsaved sets to a file after the last try."""


@dataclass(frozen=True)
class _Flush:
    done: threading.Event


@dataclass(frozen=True)
class _Stop:
    deadline: float


_WAKE = object()


def _fuller(new: SetCompleted, old: SetCompleted | None) -> bool:
    """The rule the database applies too: more reps, or now completed, is worth saving again."""
    return old is None or new.reps_done > old.reps_done or new.completed > old.completed


def sets_text(numbers: Iterable[int]) -> str:
    """'Set 2', 'Sets 2 and 3', 'Sets 1, 2 and 3'."""
    listed = [str(n) for n in sorted(numbers)]
    if len(listed) == 1:
        return f"Set {listed[0]}"
    return f"Sets {', '.join(listed[:-1])} and {listed[-1]}"


class Recorder:
    """Saves one workout's sets as they end, on its own writer thread.

    - `on_events(events)`: from any thread (the scheduler's listener); never waits for the database.
    - `save_partial(set_completed)`: the set cut short by a quit or a signal; True once all is saved.
    - `flush(timeout)`: True once everything reported so far is saved (before a set's sound; the summary).
    - `close()`: a last try, then unsaved sets to a JSON file (returned); stops the writer. Twice is fine.
    - `saved`, `unsaved`: how many sets are committed; which are not yet, and why.

    Problems never stop the coach: they end up in `error` / `notice` and `on_notice(text)`, which is
    called from the writer thread (`App.notify` is thread-safe).
    """

    def __init__(
        self,
        preset: Preset,
        path: Path | None = None,
        *,
        started_at: datetime | None = None,
        on_notice: Callable[[str], None] | None = None,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        retry_s: float = RETRY_S,
        spare_dir: Path | None = None,
    ) -> None:
        self.preset = preset
        self.path = Path(path) if path is not None else paths.history_path()
        self.started_at = started_at or now_utc()
        self.workout_id: int | None = None
        self.notice: str | None = None
        self.error: str | None = None
        self.unsaved_file: Path | None = None
        self._on_notice = on_notice
        self._busy_timeout_s = busy_timeout_s
        self._retry_s = retry_s
        self._spare_dir = spare_dir or paths.default_history_path().parent
        self._lock = threading.Lock()
        self._pending: dict[int, SetCompleted] = {}
        self._why: dict[int, str] = {}
        self._committed: dict[int, SetCompleted] = {}
        self._told: tuple[tuple[int, ...], str] | None = None
        self._told_sets: set[int] = set()
        self._open_error: str | None = None
        self._store: HistoryStore | None = None
        """The writer thread's; nothing else touches it."""
        self._spilled = False
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="tempo-coach-history", daemon=True)
        self._thread.start()

    # ---- what the app and the session call -------------------------------------------------------

    @property
    def saved(self) -> int:
        with self._lock:
            return len(self._committed)

    @property
    def unsaved(self) -> list[tuple[int, str]]:
        """(set number, why it is not saved yet) for every set not yet in the history."""
        with self._lock:
            return [(n, self._why.get(n, "being saved")) for n in sorted(self._pending)]

    def on_events(self, events: Sequence[Event]) -> None:
        if any([self._add(event) for event in events if isinstance(event, SetCompleted)]):
            self._queue.put(_WAKE)

    def save_partial(self, partial: SetCompleted | None, timeout: float = 5.0) -> bool:
        """Commit the set in progress (from `Workout.partial_set(now)`); True once all is saved."""
        if partial is not None:
            self._add(partial)
        return self.flush(timeout)

    def flush(self, timeout: float = 5.0) -> bool:
        """Try to save what is pending now; True once nothing is left unsaved."""
        if not self._thread.is_alive():
            return False
        done = threading.Event()
        self._queue.put(_Flush(done))
        return done.wait(timeout) and not self.unsaved

    def close(self, timeout: float = 5.0) -> Path | None:
        """A last try to save, then what is still unsaved goes to a JSON file, whose path is returned
        (also in `unsaved_file` and `error`). Returns within about `timeout` even if the writer is
        stuck waiting for a lock; then this thread writes the file."""
        if not self._closed:
            self._closed = True
            self._queue.put(_Stop(time.monotonic() + timeout))
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._spill()
        return self.unsaved_file

    def _add(self, result: SetCompleted) -> bool:
        """Keep `result` until it is committed; False if a set at least as full is already kept."""
        with self._lock:
            if not (_fuller(result, self._committed.get(result.set)) and _fuller(result, self._pending.get(result.set))):
                return False
            self._pending[result.set] = result
            return True

    # ---- the writer thread ----------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._store = self._open(self._busy_timeout_s)
            while not self._serve(self._next()):
                pass
        except Exception as error:  # the unforeseen: say so, and keep the sets in a file
            self._report(f"The workout history stopped ({error!r}); sets not yet saved go to a file.", error=True)
            self._spill()
        finally:
            if self._store is not None:
                self._store.close()
            while True:  # release anyone still waiting on a flush
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if isinstance(item, _Flush):
                    item.done.set()

    def _next(self) -> object:
        """The next request; while sets are unsaved, a retry every `retry_s` if nothing comes."""
        try:
            return self._queue.get(timeout=self._retry_s if self._pending else None)
        except queue.Empty:
            return _WAKE

    def _serve(self, item: object) -> bool:
        """Save what is pending; True when the writer is done."""
        if isinstance(item, _Stop):
            self._last_try(item.deadline)
            return True
        self._save_pending()
        if isinstance(item, _Flush):
            item.done.set()
        return False

    def _last_try(self, deadline: float) -> None:
        """Save with what is left of close()'s time, then spill what could not be saved."""
        wait_s = max(0.0, deadline - time.monotonic() - SPILL_MARGIN_S)
        if self._store is not None:
            self._store.conn.execute(f"PRAGMA busy_timeout = {round(wait_s * 1000)}")
        self._save_pending(wait_s)
        self._spill()

    def _open(self, busy_timeout_s: float) -> HistoryStore | None:
        try:
            store = HistoryStore.open(self.path, busy_timeout_s=busy_timeout_s)
        except HistoryError as error:
            if str(error) != self._open_error:
                self._open_error = str(error)
                self._report(f"The workout history cannot be used: {error}. Sets are kept and tried again.", error=True)
            return None
        self._open_error = None
        if store.notice:
            self._report(store.notice)
        return store

    def _save_pending(self, open_timeout_s: float | None = None) -> None:
        """One try to commit every pending set in one transaction (opening the history if need be)."""
        with self._lock:
            batch = sorted(self._pending.values(), key=lambda r: r.set)
        if not batch:
            return
        if self._store is None:
            self._store = self._open(self._busy_timeout_s if open_timeout_s is None else open_timeout_s)
        if self._store is None:
            self._failed(batch, self._open_error or "cannot be opened")
            return
        try:
            with self._store.transaction():
                workout_id = self.workout_id
                if workout_id is None:
                    workout_id = self._store.start_workout(self.preset, self.started_at)
                for result in batch:
                    self._store.save_set(workout_id, result)
            self.workout_id = workout_id
        except sqlite3.Error as error:
            self._failed(batch, str(error))
        else:
            self._succeeded(batch)

    def _failed(self, batch: list[SetCompleted], reason: str) -> None:
        """Say which sets are not saved, once per change; then show them in `unsaved`."""
        with self._lock:
            told = (tuple(sorted(self._pending)), reason)
            news = told != self._told
            self._told = told
            self._told_sets.update(told[0])
        if news:
            self._report(f"{sets_text(told[0])} not saved yet ({reason}); will retry", error=True)
        with self._lock:
            for result in batch:
                self._why[result.set] = reason

    def _succeeded(self, batch: list[SetCompleted]) -> None:
        with self._lock:
            for result in batch:
                if _fuller(result, self._committed.get(result.set)):
                    self._committed[result.set] = result
                if self._pending.get(result.set) is result:
                    del self._pending[result.set]
                    self._why.pop(result.set, None)
            recovered = self._told_sets - set(self._pending)
            self._told_sets -= recovered
            self._told = None
            if not self._pending:
                self.error = None
        if recovered:
            self._report(f"{sets_text(recovered)} saved to the workout history after all")

    def _report(self, text: str, error: bool = False) -> None:
        if error:
            self.error = text
        else:
            self.notice = text
        if self._on_notice is not None:
            try:
                self._on_notice(text)
            except Exception:  # the UI may already be gone; the text stays in notice / error
                pass

    # ---- what could not be saved goes to a file ---------------------------------------------------

    def _spill(self) -> None:
        """Write the sets still pending to a JSON file, once."""
        with self._lock:
            if self._spilled or not self._pending:
                return
            self._spilled = True
            results = sorted(self._pending.values(), key=lambda r: r.set)
            reason = self._why.get(results[0].set, "not saved in time")
        kept = unsaved_sets(self.path, self.preset, self.started_at, results, reason)
        numbers = sets_text(r.set for r in results)
        try:
            where = write_unsaved(self.path, self._spare_dir, kept, now_utc())
        except OSError as error:
            listed = json.dumps(kept["sets"])
            self._report(f"{numbers} could not be saved ({reason}) nor written to a file ({error.strerror}): {listed}", error=True)
            return
        with self._lock:
            self.unsaved_file = where
        pronoun = "it is" if len(results) == 1 else "they are"
        self._report(f"{numbers} could not be saved to the workout history ({reason}); {pronoun} in {shown(where)}", error=True)
