"""Histories for the progress tests, written with plain INSERTs into the schema 2 columns (load,
unit, bodyweight, warm-up, ended), so these tests need no recorder that writes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tempo_coach.history.records import iso
from tempo_coach.history.store import HistoryStore

DAY = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
"""Noon UTC: the same calendar day in every time zone from UTC-11 to UTC+11."""


@dataclass(frozen=True)
class Row:
    """One set as the history keeps it."""

    reps: int
    load: float | None = 100.0
    unit: str | None = "kg"
    fallback: int | None = None
    target: int | None = 12
    warmup: bool = False
    ended: str = "completed"
    bodyweight: bool = False
    tut: float = 40.0


def add_workout(
    store: HistoryStore, started: datetime, exercise: str, rows: list[Row], preset: str = "leg-press", name: str = ""
) -> int:
    """One workout of `exercise` with `rows` as its sets 1, 2, …"""
    with store.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO workouts (started_at, preset, name, exercise, tempo, sets_planned, reps_target)"
            " VALUES (?, ?, ?, ?, '2-1-2-1', ?, ?)",
            (iso(started), preset, name, exercise, len(rows), rows[0].target if rows else None),
        )
        workout = cursor.lastrowid
        assert workout is not None
        conn.executemany(
            "INSERT INTO sets (workout_id, set_no, reps_done, reps_target, tut_s, fallback_rep, completed, saved_at,"
            " load, unit, bodyweight, warmup, ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (workout, n, r.reps, r.target, r.tut, r.fallback, int(r.ended == "completed"), iso(started),
                 r.load, r.unit, int(r.bodyweight), int(r.warmup), r.ended)
                for n, r in enumerate(rows, start=1)
            ],
        )
    return workout


def weeks(path: Path, exercise: str, sessions: list[list[Row]], preset: str = "leg-press", first: datetime = DAY) -> None:
    """`sessions` of `exercise`, one a week from `first`, oldest first."""
    with HistoryStore.open(path) as store:
        for week, rows in enumerate(sessions):
            add_workout(store, first + timedelta(weeks=week), exercise, rows, preset)
