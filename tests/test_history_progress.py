"""Progress read from the history (history/progress.py): sessions per exercise and day, what the
start screen shows, and the suggestion for next time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tempo_coach.core.load import Load, Unit
from tempo_coach.core.model import Fallback, Preset
from tempo_coach.core.tempo import Phase, parse_tempo
from tempo_coach.history.progress import exercises, last_load, last_session_line, sessions, suggest, trends
from tempo_coach.history.store import HistoryStore

from progress_history import DAY, Row, add_workout, weeks

LEG_PRESS = Preset(
    id="leg-press", tempo=parse_tempo("2-1-2-1"), exercise="Leg press", sets=3, reps=12,
    fallback=Fallback({Phase.POSITIVE: 1000}, after_rep=8),
)


def test_the_start_screen_line_the_suggestion_and_the_last_load(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [
        [Row(12), Row(12), Row(12)],
        [Row(10, load=40.0, warmup=True), Row(12, fallback=10), Row(12, fallback=9), Row(10, fallback=7)],
    ])
    with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
        assert last_session_line(store, "Leg press") == "last: 100 kg × 12, 12, 10 · slow positive held to rep 9, 8, 6"
        advice = suggest(store, "leg press", LEG_PRESS)  # any case
        assert (advice.load, advice.change) == (Load(100.0, Unit.KG), "keep")
        assert advice.reason == "Keep 100 kg: set 3: 10 of 12 reps."
        assert last_load(store, "LEG PRESS") == Load(100.0, Unit.KG)


def test_an_exercise_never_done_has_no_line_and_a_start(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(12)]])
    with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
        assert last_session_line(store, "Squat") is None
        assert suggest(store, "Squat", LEG_PRESS).change == "start"
        assert last_load(store, "Squat") is None


def test_three_sessions_give_each_branch_of_the_rule(tmp_path: Path) -> None:
    cases = {
        "add": [[Row(10)], [Row(11)], [Row(12, fallback=9), Row(12)]],
        "keep": [[Row(12)], [Row(12)], [Row(12, fallback=5), Row(12)]],
        "drop": [[Row(12)], [Row(9), Row(8)], [Row(8), Row(8)]],
    }
    for change, history in cases.items():
        path = tmp_path / f"{change}.sqlite3"
        weeks(path, "Leg press", history)
        with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
            assert suggest(store, "Leg press", LEG_PRESS).change == change


def test_loads_differing_between_sets_are_shown_in_groups(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(12), Row(12), Row(10, load=95.0)]])
    with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
        assert last_session_line(store, "Leg press") == "last: 100 kg × 12, 12; 95 kg × 10"


def test_two_workouts_on_one_day_are_one_session_in_the_order_done(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with HistoryStore.open(path) as store:
        add_workout(store, DAY + timedelta(hours=1), "Leg press", [Row(10, load=110.0)])
        add_workout(store, DAY, "leg press", [Row(12), Row(12)], preset="leg-press-normal")
        add_workout(store, DAY + timedelta(days=7), "Goblet squat", [Row(8, load=24.0, target=8)], preset="goblet-squat")
    with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
        found = exercises(store)
        assert [e.name for e in found] == ["Goblet squat", "Leg press"]  # most recent first
        assert set(found[1].presets) == {"leg-press", "leg-press-normal"}
        [session] = sessions(store, found[1])
        assert session.day == DAY.astimezone().date()
        assert session.reps == [12, 12, 10]
        assert session.top_load == Load(110.0, Unit.KG)
        assert session.volume == 2400.0 + 1100.0
        assert session.estimated_1rm == round(110 * (1 + 10 / 30), 1)


def test_bodyweight_and_unrecorded_loads(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Push-up", [[Row(20, load=0.0, bodyweight=True, target=None)]], preset="push-up")
    weeks(path, "Old", [[Row(10, load=None, unit=None)]], preset="old")
    with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
        assert last_session_line(store, "Push-up") == "last: bodyweight × 20"
        assert suggest(store, "Push-up", None).load == Load(0.0, Unit.KG, bodyweight=True)
        assert last_session_line(store, "Old") == "last: 10 reps"
        old = next(e for e in exercises(store) if e.name == "Old")
        [session] = sessions(store, old)
        assert (session.top_load, session.volume, session.estimated_1rm) == (None, None, None)


def test_a_hostile_load_is_no_load(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(12, load=float("inf")), Row(12, unit="stone"), Row(12, load=1e300)]])
    with HistoryStore.open(path) as store, store.transaction() as conn:
        add_workout(store, DAY + timedelta(days=1), "Leg press", [Row(12)])
        conn.execute("UPDATE sets SET load = 'heavy' WHERE set_no = 1 AND workout_id = 2")
    with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
        first, second = sessions(store, exercises(store)[0])
        assert [s.load for s in first.sets] == [None, None, None]
        assert second.top_load is None and second.volume is None
        assert last_load(store, "Leg press") is None


def test_warm_ups_are_not_the_last_load_but_a_cut_short_set_is(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(12), Row(5, load=105.0, ended="cut short"), Row(10, load=40.0, warmup=True)]])
    with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
        assert last_load(store, "Leg press") == Load(105.0, Unit.KG)
        assert last_session_line(store, "Leg press") == "last: 100 kg × 12"  # the cut-short set does not count


def test_the_latest_sessions_only(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(reps)] for reps in (8, 9, 10, 11, 12)])
    with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
        leg = exercises(store)[0]
        assert [s.reps for s in sessions(store, leg, limit=2)] == [[11], [12]]
        assert len(sessions(store, leg)) == 5


def test_an_empty_or_missing_history(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    HistoryStore.open(path).close()
    with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
        assert exercises(store) == []
        assert last_session_line(store, "Leg press") is None


def test_trends_give_each_exercise_its_latest_sessions_oldest_first(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(8 + week), Row(8)] for week in range(6)])
    weeks(path, "Push-up", [[Row(20, target=None)]], preset="push-up", first=DAY + timedelta(weeks=10))
    with HistoryStore.open_for_reading(path) as store:  # type: ignore[union-attr]
        push, legs = trends(store, latest=4)
    assert (push.exercise.name, push.total_sessions) == ("Push-up", 1)
    assert (legs.exercise.name, legs.total_sessions) == ("Leg press", 6)
    assert [sum(s.reps) for s in legs.sessions] == [18, 19, 20, 21]
    assert [s.tut_s for s in legs.sessions] == [80.0] * 4


def test_run_offers_the_last_load_used_when_none_is_given(monkeypatch, tmp_path: Path) -> None:
    from tempo_coach.cli import commands as cli
    from tempo_coach.tui import app as app_module

    path = tmp_path / "h.sqlite3"
    weeks(path, "Leg press", [[Row(12, load=40.0, warmup=True), Row(12, load=100.0), Row(10, load=102.5)]])
    started = []
    def run_app(preset, options, training) -> int:  # the training the app would run
        started.append(app_module.make_app(preset, options, training=training).training)
        return 0

    monkeypatch.setattr(app_module, "run_app", run_app)
    monkeypatch.setattr(cli, "run_in_terminal", lambda run: run())
    monkeypatch.setattr(cli, "check_terminal", lambda: None)
    for name in ("leg-press", "leg-day"):
        assert cli.main(["run", name, "--mute", "--history", str(path)]) == 0
    press, day = (training.plans() for training in started)
    assert [str(plan.load) for plan in press] == ["102.5 kg"] * 3  # what the coach's title shows
    assert [(plan.label, str(plan.load)) for plan in day] == [
        ("Warm-up 1/2", "40 kg"), ("Warm-up 2/2", "70 kg"), ("Set 1/3", "102.5 kg"), ("Set 2/3", "102.5 kg"), ("Set 3/3", "102.5 kg")
    ]
    assert cli.main(["run", "leg-press", "--load", "90", "--mute", "--history", str(path)]) == 0
    assert [str(plan.load) for plan in started[-1].plans()] == ["90 kg"] * 3  # a load given wins
