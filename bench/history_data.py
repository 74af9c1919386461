"""A long workout history for the benchmarks: `build(path, workouts)` bulk-inserts one.

Five presets in turn, one workout every four hours, several sets each (about 3.4 sets a workout),
with loads that climb slowly (push-ups at bodyweight), and a warm-up set before every fifth workout.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tempo_coach.history import HistoryStore
from tempo_coach.history.records import iso

PRESETS = (  # id, exercise, tempo, sets, reps, starting load in kg (None: bodyweight)
    ("leg-press", "Leg press", "2-1-2-1", 3, 12, 80.0),
    ("goblet-squat", "Goblet squat", "3-1-X-0", 4, 8, 16.0),
    ("push-up", "Push-up", "2-0-1-1", 3, None, None),
    ("romanian-deadlift", "Romanian deadlift", "3-1-1-0", 3, 10, 40.0),
    ("leg-press-normal", "Leg press", "2-1-1-1", 3, 12, 80.0),
)
SETS_COLUMNS = "workout_id, set_no, reps_done, reps_target, tut_s, fallback_rep, completed, saved_at, load, unit, bodyweight, warmup, ended"


def build(path: Path, workouts: int, seed: int = 6) -> int:
    """Fill a fresh history with `workouts` workouts in one transaction; returns the number of sets."""
    rnd = random.Random(seed)
    start = datetime(2021, 1, 1, 7, 0, tzinfo=UTC)
    sets_rows = []
    with HistoryStore.open(path) as store, store.transaction() as conn:
        for i in range(workouts):
            preset, exercise, tempo, sets, reps, first_load = PRESETS[i % len(PRESETS)]
            load = 0.0 if first_load is None else first_load + 2.5 * (i // 300)
            started = start + timedelta(hours=4 * i, minutes=rnd.randint(0, 59))
            cursor = conn.execute(
                "INSERT INTO workouts (started_at, ended_at, preset, name, exercise, tempo, sets_planned, reps_target)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (iso(started), iso(started + timedelta(minutes=12)), preset, exercise, exercise, tempo, sets, reps),
            )
            warmups = int(i % 5 == 0)
            if warmups:
                sets_rows.append((cursor.lastrowid, 1, 10, 10, 55.0, None, 1, iso(started), load / 2, "kg", int(first_load is None), 1, "completed"))
            for n in range(1, sets + 1):
                done = rnd.randint(6, 20) if reps is None else rnd.randint(max(1, reps - 4), reps)
                fallback = rnd.choice([None, None, max(1, done - 2)])
                completed = int(reps is None or done >= reps)
                sets_rows.append(
                    (cursor.lastrowid, warmups + n, done, reps, done * 5.5, fallback, completed, iso(started),
                     load, "kg", int(first_load is None), 0, "completed" if completed else "ended")
                )
        conn.executemany(f"INSERT INTO sets ({SETS_COLUMNS}) VALUES ({', '.join('?' * 13)})", sets_rows)
    return len(sets_rows)
