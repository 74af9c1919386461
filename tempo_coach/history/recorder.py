"""The Recorder: saves a session's sets as they end, and never loses one.

A session may run several exercises (a routine; a superset interleaves two): each (exercise, preset)
gets its own workout row, opened with its first set; a set is known by that and its number in the
history (`store.set_number`).

Every finished set goes into `_pending` (in memory) the moment it is reported, and leaves it only
once it is committed. A writer thread saves what is pending on each new set, every `retry_s` while
something is still unsaved, and at `close()`; a set it cannot save (another program holding the
write lock past the busy timeout, a full disk, a history that cannot be opened) stays pending, and
`on_notice` says so ("Set 2 not saved yet (database is locked); will retry") and, later, that it was
saved after all. What is still unsaved at `close()` is written to a JSON file beside the history
(or, if that folder is not writable, in the data folder: `unsaved.py`), and `close()` returns where.

`on_events` is called from the scheduler thread while the coach's lock is held: it only records
and wakes the writer, never waiting for the database; so does `tag` (reps in reserve, a note), from
the UI thread. `flush(timeout)` waits, for a short bound: it
returns True once every set handed over is committed (visible to any new connection, safe from a
kill -9), so the cue thread calls it before a set's "set over" sound plays.

A workout row is created with its first set, so an exercise abandoned before any set ended leaves
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
from tempo_coach.core.routine import exercise_name
from tempo_coach.history.files import BUSY_TIMEOUT_S, shown
from tempo_coach.history.records import ENDED_RANK, SetRecord, now_utc, set_number, set_record
from tempo_coach.history.schema import HistoryError
from tempo_coach.history.store import HistoryStore
from tempo_coach.history.unsaved import UnsavedWorkout, unsaved_sets, write_unsaved

RETRY_S = 15.0
"""How often sets that could not be saved are tried again while nothing else happens."""
SPILL_MARGIN_S = 0.5
"""Of `close()`'s time, what is kept for writing unsaved sets to a file after the last try."""


WorkoutKey = tuple[str, str]
"""(exercise, preset id): one workout row each."""
SetKey = tuple[str, str, int]
"""(exercise, preset id, the set's number in the history)."""


@dataclass(frozen=True)
class _Flush:
    done: threading.Event


@dataclass(frozen=True)
class _Stop:
    deadline: float


@dataclass(frozen=True)
class _Workout:
    preset: Preset
    exercise: str
    started_at: datetime


@dataclass(frozen=True)
class _Tag:
    rir: int | None
    note: str | None

    def then(self, later: _Tag) -> _Tag:
        """This tag with what a later one says (None there: kept from this one)."""
        return _Tag(self.rir if later.rir is None else later.rir, self.note if later.note is None else later.note)


_WAKE = object()


def _fuller(new: SetCompleted, old: SetCompleted | None) -> bool:
    """The rule the database applies too: more reps, or ended more completely, is worth saving again."""
    return old is None or new.reps_done > old.reps_done or ENDED_RANK[new.ended] > ENDED_RANK[old.ended]


def sets_text(numbers: Iterable[int]) -> str:
    """'Set 2', 'Sets 2 and 3', 'Sets 1, 2 and 3'."""
    listed = [str(n) for n in sorted(numbers)]
    if len(listed) == 1:
        return f"Set {listed[0]}"
    return f"Sets {', '.join(listed[:-1])} and {listed[-1]}"


class Recorder:
    """Saves a session's sets as they end, on its own writer thread.

    - `on_events(events)`: from any thread (the scheduler's listener); never waits for the database.
    - `tag(set_completed, rir, note)`: reps in reserve and/or a note for a set already reported;
      from any thread (the UI's), never waiting for the database; saved like the sets.
    - `save_partial(set_completed)`: the set cut short by a quit or a signal; True once all is saved.
    - `flush(timeout)`: True once everything reported so far is saved (before a set's sound; the summary).
    - `close()`: a last try, then unsaved sets to a JSON file (returned); stops the writer. Twice is fine.
    - `saved`, `unsaved`: how many sets are committed; which are not yet, and why.

    A set with no `plan` belongs to `preset`'s workout. Problems never stop the coach: they end up in
    `error` / `notice` and `on_notice(text)`, which is called from the writer thread (`App.notify` is
    thread-safe).
    """

    def __init__(
        self,
        preset: Preset,
        path: Path | None = None,
        *,
        routine: str = "",
        started_at: datetime | None = None,
        on_notice: Callable[[str], None] | None = None,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        retry_s: float = RETRY_S,
        spare_dir: Path | None = None,
    ) -> None:
        self.preset = preset
        self.routine = routine
        self.path = Path(path) if path is not None else paths.history_path()
        self.started_at = started_at or now_utc()
        self.notice: str | None = None
        self.error: str | None = None
        self.unsaved_file: Path | None = None
        self._on_notice = on_notice
        self._busy_timeout_s = busy_timeout_s
        self._retry_s = retry_s
        self._spare_dir = spare_dir or paths.default_history_path().parent
        self._lock = threading.Lock()
        self._workouts: dict[WorkoutKey, _Workout] = {}
        """Every exercise handed a set, in the order of their first sets."""
        self._pending: dict[SetKey, SetCompleted] = {}
        self._tags: dict[SetKey, _Tag] = {}
        """Tags not yet saved."""
        self._why: dict[SetKey, str] = {}
        self._committed: dict[SetKey, SetCompleted] = {}
        self._told: tuple[tuple[SetKey, ...], str] | None = None
        self._told_sets: set[SetKey] = set()
        self._open_error: str | None = None
        self._store: HistoryStore | None = None
        """The writer thread's; nothing else touches it (nor `_ids`)."""
        self._ids: dict[WorkoutKey, int] = {}
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
        """(set number, why it is not saved yet) for every set (or its tag) not yet in the history,
        exercise by exercise."""
        with self._lock:
            return [(key[2], self._why.get(key, "being saved")) for key in self._in_order(self._pending.keys() | self._tags.keys())]

    def on_events(self, events: Sequence[Event]) -> None:
        if any([self._add(event) for event in events if isinstance(event, SetCompleted)]):
            self._queue.put(_WAKE)

    def tag(self, result: SetCompleted, rir: int | None = None, note: str | None = None) -> None:
        """Tag a reported set with reps in reserve (0-4, 4: four or more) and/or a note; None
        leaves what it had. Never waits for the database."""
        if rir is not None and not 0 <= rir <= 4:
            raise ValueError(f"reps in reserve must be 0 to 4, got {rir}")
        if rir is None and note is None:
            return
        self._add(result)
        with self._lock:
            key, tag = self._key(result), _Tag(rir, note)
            self._tags[key] = self._tags[key].then(tag) if key in self._tags else tag
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
        key = self._key(result)
        with self._lock:
            if not (_fuller(result, self._committed.get(key)) and _fuller(result, self._pending.get(key))):
                return False
            if key[:2] not in self._workouts:  # its exercise's first set: the workout row starts now
                started = self.started_at if not self._workouts else now_utc()
                preset = result.plan.preset if result.plan else self.preset
                self._workouts[key[:2]] = _Workout(preset, key[0], started)
            self._pending[key] = result
            return True

    def _key(self, result: SetCompleted) -> SetKey:
        if result.plan is not None:
            return result.plan.exercise, result.plan.preset.id, set_number(result)
        return exercise_name(self.preset), self.preset.id, set_number(result)

    def _in_order(self, keys: Iterable[SetKey]) -> list[SetKey]:
        """Exercise by exercise (in the order they started), then by set. Call with the lock held."""
        place = {workout: n for n, workout in enumerate(self._workouts)}
        return sorted(keys, key=lambda key: (place[key[:2]], key[2]))

    def _sets_text(self, keys: Iterable[SetKey]) -> str:
        """'Set 2' in a one-exercise session; else 'Leg press set 2; Push-up sets 1 and 3'. Call
        with the lock held."""
        ordered = self._in_order(keys)
        if len(self._workouts) == 1:
            return sets_text(key[2] for key in ordered)
        by_exercise: dict[str, list[int]] = {}
        for exercise, _, number in ordered:
            by_exercise.setdefault(exercise, []).append(number)
        return "; ".join(f"{exercise} {sets_text(numbers).replace('Set', 'set', 1)}" for exercise, numbers in by_exercise.items())

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
        """The next request; while sets (or tags) are unsaved, a retry every `retry_s` if nothing comes."""
        try:
            return self._queue.get(timeout=self._retry_s if self._pending or self._tags else None)
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
        """One try to commit every pending set and tag in one transaction (opening the history if need be)."""
        with self._lock:
            batch = [(key, self._pending[key]) for key in self._in_order(self._pending)]
            tags = dict(self._tags)
            workouts = dict(self._workouts)
        if not batch and not tags:
            return
        if self._store is None:
            self._store = self._open(self._busy_timeout_s if open_timeout_s is None else open_timeout_s)
        if self._store is None:
            self._failed(self._open_error or "cannot be opened")
            return
        opened: dict[WorkoutKey, int] = {}
        try:
            with self._store.transaction():
                for key, result in batch:
                    self._store.save_set(self._workout_id(self._store, key[:2], workouts, opened), result)
                for key, tag in tags.items():
                    self._store.tag_set(self._workout_id(self._store, key[:2], workouts, opened), key[2], tag.rir, tag.note)
        except sqlite3.Error as error:
            self._failed(str(error))
        else:
            self._ids.update(opened)
            self._succeeded(batch, tags)

    def _workout_id(self, store: HistoryStore, key: WorkoutKey, workouts: dict[WorkoutKey, _Workout], opened: dict[WorkoutKey, int]) -> int:
        """The exercise's workout row, opened now (in the caller's transaction) if it has none yet."""
        if key in self._ids:
            return self._ids[key]
        if key not in opened:
            workout = workouts[key]
            opened[key] = store.start_workout(workout.preset, workout.started_at, routine=self.routine, exercise=workout.exercise)
        return opened[key]

    def _failed(self, reason: str) -> None:
        """Say which sets are not saved, once per change; then show them in `unsaved`."""
        with self._lock:
            keys = self._in_order(self._pending.keys() | self._tags.keys())
            told = (tuple(keys), reason)
            news = told != self._told
            self._told = told
            self._told_sets.update(keys)
            for key in keys:
                self._why[key] = reason
            text = self._sets_text(keys)
        if news:
            self._report(f"{text} not saved yet ({reason}); will retry", error=True)

    def _succeeded(self, batch: list[tuple[SetKey, SetCompleted]], tags: dict[SetKey, _Tag]) -> None:
        with self._lock:
            for key, result in batch:
                if _fuller(result, self._committed.get(key)):
                    self._committed[key] = result
                if self._pending.get(key) is result:
                    del self._pending[key]
            for key, tag in tags.items():
                if self._tags.get(key) is tag:
                    del self._tags[key]
            unsaved = self._pending.keys() | self._tags.keys()
            for key in self._why.keys() - unsaved:
                del self._why[key]
            recovered = self._told_sets - unsaved
            self._told_sets -= recovered
            self._told = None
            if not unsaved:
                self.error = None
            text = self._sets_text(recovered) if recovered else ""
        if recovered:
            self._report(f"{text} saved to the workout history after all")

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
        """Write the sets still pending (and sets whose tag is) to a JSON file, once."""
        with self._lock:
            keys = self._in_order(self._pending.keys() | self._tags.keys())
            if self._spilled or not keys:
                return
            self._spilled = True
            reason = self._why.get(keys[0], "not saved in time")
            numbers = self._sets_text(keys)
            workouts = [
                UnsavedWorkout(
                    workout.preset,
                    workout.exercise,
                    workout.started_at,
                    tuple(self._unsaved_record(key) for key in keys if key[:2] == workout_key),
                )
                for workout_key, workout in self._workouts.items()
                if any(key[:2] == workout_key for key in keys)
            ]
        kept = unsaved_sets(self.path, self.routine, workouts, reason)
        try:
            where = write_unsaved(self.path, self._spare_dir, kept, now_utc())
        except OSError as error:
            listed = json.dumps(kept["workouts"])
            self._report(f"{numbers} could not be saved ({reason}) nor written to a file ({error.strerror}): {listed}", error=True)
            return
        with self._lock:
            self.unsaved_file = where
        pronoun = "it is" if len(keys) == 1 else "they are"
        self._report(f"{numbers} could not be saved to the workout history ({reason}); {pronoun} in {shown(where)}", error=True)

    def _unsaved_record(self, key: SetKey) -> SetRecord:
        """The set as it would have been saved, with its tag. Call with the lock held."""
        result = self._pending.get(key) or self._committed[key]
        tag = self._tags.get(key, _Tag(None, None))
        return set_record(result, tag.rir, tag.note)
