"""A long workout history for the benchmarks: `build(path, workouts)` bulk-inserts one.

Five presets in turn, one workout every four hours, several sets each (about 3.4 sets a workout),
each set with a load in kg.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tempo_coach.history import HistoryStore
from tempo_coach.history.records import iso

PRESETS = (
    ("leg-press", "Leg press", "2-1-2-1", 3, 12),
    ("goblet-squat", "Goblet squat", "3-1-X-0", 4, 8),
    ("push-up", "Push-up", "2-0-1-1", 3, None),
    ("romanian-deadlift", "Romanian deadlift", "3-1-1-0", 3, 10),
    ("leg-press-normal", "Leg press", "2-1-1-1", 3, 12),
)


def build(path: Path, workouts: int, seed: int = 6) -> int:
    """Fill a fresh history with `workouts` workouts in one transaction; returns the number of sets."""
    rnd = random.Random(seed)
    start = datetime(2021, 1, 1, 7, 0, tzinfo=UTC)
    sets_rows = []
    with HistoryStore.open(path) as store, store.transaction() as conn:
        for i in range(workouts):
            preset, exercise, tempo, sets, reps = PRESETS[i % len(PRESETS)]
            started = start + timedelta(hours=4 * i, minutes=rnd.randint(0, 59))
            cursor = conn.execute(
                "INSERT INTO workouts (started_at, ended_at, preset, name, exercise, tempo, sets_planned, reps_target)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (iso(started), iso(started + timedelta(minutes=12)), preset, exercise, exercise, tempo, sets, reps),
            )
            for n in range(1, sets + 1):
                done = rnd.randint(6, 20) if reps is None else rnd.randint(max(1, reps - 4), reps)
                fallback = rnd.choice([None, None, max(1, done - 2)])
                load = 40 + 2.5 * (i // 50)  # heavier every 50 workouts
                sets_rows.append(
                    (cursor.lastrowid, n, done, reps, done * 5.5, fallback, int(reps is None or done >= reps), iso(started), load)
                )
        conn.executemany(
            "INSERT INTO sets (workout_id, set_no, reps_done, reps_target, tut_s, fallback_rep, completed, saved_at, load, unit, ended)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'kg', iif(?7, 'completed', 'ended'))",
            sets_rows,
        )
    return len(sets_rows)
