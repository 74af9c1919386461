"""The phase engine on a fake clock: every transition, the lifter's actions, and no drift."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tempo_coach.core.engine import Action, InvalidAction, Workout
from tempo_coach.core.events import (
    FallbackEngaged,
    FallbackReleased,
    PhaseStarted,
    RepCompleted,
    SetCompleted,
    WorkoutDone,
)
from tempo_coach.core.load import Load, Unit
from tempo_coach.core.model import Fallback, Lasts, Preset
from tempo_coach.core.routine import Block, Exercise, WarmupSet, block_plans
from tempo_coach.core.tempo import Phase, Tempo, format_seconds, parse_tempo

N, B, P, T = Phase.NEGATIVE, Phase.BOTTOM_HOLD, Phase.POSITIVE, Phase.TOP_HOLD


def make(tempo: str | Tempo = "2-1-2-1", **changes: object) -> Preset:
    tempo = tempo if isinstance(tempo, Tempo) else parse_tempo(tempo)
    base = Preset(id="test", tempo=tempo, sets=2, reps=3, rest_ms=10_000, get_ready_ms=5_000)
    return dataclasses.replace(base, **changes)


def leg_press(after_rep: int | None = None, lasts: Lasts = Lasts.SET, **changes: object) -> Preset:
    return make(fallback=Fallback({P: 1000}, after_rep=after_rep, lasts=lasts), **changes)


def run_to_end(workout: Workout, start: float = 0.0) -> list[object]:
    """Start and jump from deadline to deadline until done, as `plan` does."""
    events: list[object] = list(workout.start(start))
    while (deadline := workout.next_deadline) is not None:
        events += workout.advance(deadline)
    return events


def phases(events: list[object]) -> list[tuple[Phase, int, int | None, float, float]]:
    return [(e.phase, e.set, e.rep, e.start, e.duration) for e in events if isinstance(e, PhaseStarted)]


def of(kind: type, events: list[object]) -> list:
    return [e for e in events if isinstance(e, kind)]


def test_whole_workout_runs_every_phase_in_order_with_absolute_times() -> None:
    events = run_to_end(Workout(make(sets=2, reps=2)), start=100.0)
    assert phases(events) == [
        (Phase.GET_READY, 1, None, 100.0, 5.0),
        (N, 1, 1, 105.0, 2.0), (B, 1, 1, 107.0, 1.0), (P, 1, 1, 108.0, 2.0), (T, 1, 1, 110.0, 1.0),
        (N, 1, 2, 111.0, 2.0), (B, 1, 2, 113.0, 1.0), (P, 1, 2, 114.0, 2.0),
        (Phase.REST, 1, None, 116.0, 10.0),
        (N, 2, 1, 126.0, 2.0), (B, 2, 1, 128.0, 1.0), (P, 2, 1, 129.0, 2.0), (T, 2, 1, 131.0, 1.0),
        (N, 2, 2, 132.0, 2.0), (B, 2, 2, 134.0, 1.0), (P, 2, 2, 135.0, 2.0),
    ]
    assert events[-1] == WorkoutDone(137.0, tuple(of(SetCompleted, events)))


def test_a_preset_that_asks_counts_down_again_after_each_rest() -> None:
    events = run_to_end(Workout(make(sets=2, reps=1, get_ready_after_rest=True)), start=0.0)
    assert [(phase, set_, start) for phase, set_, _, start, _ in phases(events) if phase in (Phase.REST, Phase.GET_READY)] == [
        (Phase.GET_READY, 1, 0.0), (Phase.REST, 1, 10.0), (Phase.GET_READY, 2, 20.0),
    ]


def test_a_rep_counts_when_its_positive_ends_and_the_last_rep_has_no_top_hold() -> None:
    workout = Workout(make(sets=1, reps=2))
    workout.start(0.0)
    assert of(RepCompleted, workout.advance(9.99)) == []
    assert of(RepCompleted, workout.advance(10.0)) == [RepCompleted(1, 1, 10.0)]
    events = workout.advance(16.0)
    assert of(RepCompleted, events) == [RepCompleted(1, 2, 16.0)]
    assert [dataclasses.replace(s, plan=None) for s in of(SetCompleted, events)] == [SetCompleted(1, 2, 2, 11.0, None, True, 16.0)]
    assert workout.done and workout.next_deadline is None


def test_advance_late_catches_up_with_events_stamped_when_due() -> None:
    workout = Workout(make(sets=1, reps=1))
    workout.start(0.0)
    events = workout.advance(1000.0)
    assert [e.start for e in of(PhaseStarted, events)] == [5.0, 7.0, 8.0]
    assert of(WorkoutDone, events)[0].at == 10.0


def test_nothing_happens_before_a_deadline_and_remaining_counts_down() -> None:
    workout = Workout(make())
    workout.start(0.0)
    assert workout.advance(4.999) == []
    assert workout.remaining(3.5) == pytest.approx(1.5)
    assert workout.phase is Phase.GET_READY


def test_pause_shifts_the_rest_of_the_timeline_by_exactly_the_paused_time() -> None:
    workout = Workout(make(sets=1, reps=2))
    workout.start(0.0)
    workout.advance(6.0)  # 1 s into rep 1's negative
    workout.act(Action.PAUSE, 6.0)
    assert workout.next_deadline is None
    assert workout.advance(500.0) == []
    assert workout.remaining(500.0) == pytest.approx(1.0)
    workout.act(Action.RESUME, 36.0)  # paused 30 s
    events = run_to_end_from(workout)
    assert [e.start for e in of(PhaseStarted, events)] == [37.0, 38.0, 40.0, 41.0, 43.0, 44.0]
    assert of(SetCompleted, events)[0].tut == 11.0  # paused time is not time under tension


def run_to_end_from(workout: Workout) -> list[object]:
    events: list[object] = []
    while (deadline := workout.next_deadline) is not None:
        events += workout.advance(deadline)
    return events


def test_pause_twice_or_resume_without_pause_is_refused_and_changes_nothing() -> None:
    workout = Workout(make())
    workout.start(0.0)
    workout.act(Action.PAUSE, 1.0)
    assert workout.act(Action.PAUSE, 2.0).refused
    workout.act(Action.RESUME, 3.0)
    assert workout.act(Action.RESUME, 4.0).refused
    assert workout.next_deadline == 7.0


def test_end_set_now_ends_the_set_without_counting_the_failed_rep() -> None:
    workout = Workout(make(sets=2, reps=10))
    workout.start(0.0)
    workout.advance(20.0)  # rep 3's negative started at 17
    events = workout.act(Action.END_SET, 20.5).events
    [result] = of(SetCompleted, events)
    assert (result.reps_done, result.reps_target, result.completed, result.tut) == (2, 10, False, 15.5)
    assert phases(events) == [(Phase.REST, 1, None, 20.5, 10.0)]


def test_end_set_outside_a_set_is_refused() -> None:
    workout = Workout(make())
    workout.start(0.0)
    assert workout.act(Action.END_SET, 1.0).refused
    assert workout.phase is Phase.GET_READY


def test_skip_rest_starts_the_get_ready_countdown_now() -> None:
    """The lifter at the laptop cuts the rest short: the countdown gives time to get to the machine."""
    workout = Workout(make(sets=2, reps=1))
    workout.start(0.0)
    workout.advance(11.0)  # set 1 ended at 10: resting
    assert workout.phase is Phase.REST
    events = workout.act(Action.SKIP, 12.0).events
    assert phases(events) == [(Phase.GET_READY, 2, None, 12.0, 5.0)]
    assert workout.next_deadline == 17.0


def test_a_rest_shortened_past_now_leads_into_the_get_ready_countdown() -> None:
    workout = Workout(make(sets=2, reps=1))
    workout.start(0.0)
    workout.advance(15.0)  # resting since 10, 5 s left
    events = workout.act(Action.REST_SHORTER, 15.0).events
    assert phases(events) == [(Phase.GET_READY, 2, None, 15.0, 5.0)]


def test_skip_during_get_ready_starts_the_set_now_and_is_refused_mid_set() -> None:
    workout = Workout(make())
    workout.start(0.0)
    assert phases(workout.act(Action.SKIP, 2.0).events)[0] == (N, 1, 1, 2.0, 2.0)
    assert workout.act(Action.SKIP, 2.5).refused


def test_amrap_sets_run_until_the_lifter_ends_them() -> None:
    workout = Workout(make(sets=1, reps=None))
    workout.start(0.0)
    workout.advance(5.0 + 6.0 * 40)  # forty reps later, still going
    assert workout.in_set and workout.reps_done == 40
    events = workout.act(Action.END_SET, 5.0 + 6.0 * 40 + 1.0).events
    [result] = of(SetCompleted, events)
    assert (result.reps_done, result.reps_target, result.completed) == (40, None, True)
    assert of(WorkoutDone, events)


def test_auto_fallback_uses_the_preset_tempo_up_to_after_rep_then_the_fallback_in_every_set() -> None:
    events = run_to_end(Workout(leg_press(after_rep=2, sets=2, reps=4)))
    positives = [(e.set, e.rep, e.duration) for e in of(PhaseStarted, events) if e.phase is P]
    assert positives == [(s, r, 2.0 if r <= 2 else 1.0) for s in (1, 2) for r in (1, 2, 3, 4)]
    assert [(e.set, e.rep, e.auto) for e in of(FallbackEngaged, events)] == [(1, 3, True), (2, 3, True)]
    assert [r.fallback_rep for r in of(SetCompleted, events)] == [3, 3]
    # rep 2's top hold is still the preset's: the fallback starts with rep 3's first phase
    assert [e.fallback for e in of(PhaseStarted, events) if e.set == 1 and e.rep == 2] == [False] * 4


def test_manual_fallback_applies_from_the_next_phase_not_yet_started() -> None:
    workout = Workout(leg_press(sets=1, reps=3))
    workout.start(0.0)
    workout.advance(8.5)  # rep 1's positive (2 s) started at 8
    [engaged] = workout.act(Action.TOGGLE_FALLBACK, 8.5).events
    assert engaged == FallbackEngaged(1, 2, auto=False, at=8.5)  # rep 1's positive already runs
    events = run_to_end_from(workout)
    positives = [(e.rep, e.duration) for e in of(PhaseStarted, events) if e.phase is P]
    assert positives == [(2, 1.0), (3, 1.0)]
    assert of(SetCompleted, events)[0].fallback_rep == 2


def test_fallback_engaged_during_a_negative_changes_that_reps_positive() -> None:
    workout = Workout(leg_press(sets=1, reps=1))
    workout.start(0.0)
    workout.advance(5.5)
    assert workout.act(Action.TOGGLE_FALLBACK, 5.5).events[0].rep == 1
    events = run_to_end_from(workout)
    assert [e.duration for e in of(PhaseStarted, events) if e.phase is P] == [1.0]


def test_undoing_the_fallback_restores_the_preset_tempo_and_auto_does_not_re_engage() -> None:
    workout = Workout(leg_press(after_rep=1, sets=1, reps=4))
    workout.start(0.0)
    workout.advance(14.5)  # rep 2's positive (1 s, auto fallback after rep 1) runs 14 .. 15
    assert workout.fallback_on
    [released] = workout.act(Action.TOGGLE_FALLBACK, 14.5).events
    assert released == FallbackReleased(1, 3, at=14.5)
    events = run_to_end_from(workout)
    assert [e.duration for e in of(PhaseStarted, events) if e.phase is P] == [2.0, 2.0]
    assert of(FallbackEngaged, events) == []
    assert of(SetCompleted, events)[0].fallback_rep == 2  # recorded: rep 2 was done with it


def test_fallback_undone_before_it_changed_a_phase_is_not_recorded() -> None:
    workout = Workout(leg_press(sets=1, reps=2))
    workout.start(0.0)
    workout.act(Action.TOGGLE_FALLBACK, 1.0)
    workout.act(Action.TOGGLE_FALLBACK, 6.0)  # rep 1's negative: its positive has not started
    assert of(SetCompleted, run_to_end_from(workout))[0].fallback_rep is None


def test_fallback_lasts_to_the_end_of_the_set_by_default_or_the_workout_if_asked() -> None:
    for lasts, second_set in ((Lasts.SET, 2.0), (Lasts.WORKOUT, 1.0)):
        workout = Workout(leg_press(lasts=lasts, sets=2, reps=1))
        workout.start(0.0)
        workout.act(Action.TOGGLE_FALLBACK, 0.0)
        events = run_to_end_from(workout)
        assert [e.duration for e in of(PhaseStarted, events) if e.phase is P] == [1.0, second_set]


def test_fallback_without_one_in_the_preset_is_refused() -> None:
    workout = Workout(make())
    workout.start(0.0)
    assert workout.act(Action.TOGGLE_FALLBACK, 1.0).refused
    assert not workout.fallback_on


def test_zero_length_phases_are_skipped_without_an_event() -> None:
    events = run_to_end(Workout(make("3-0-1-0", sets=2, reps=2, get_ready_ms=0, rest_ms=0)))
    assert phases(events) == [
        (N, 1, 1, 0.0, 3.0), (P, 1, 1, 3.0, 1.0), (N, 1, 2, 4.0, 3.0), (P, 1, 2, 7.0, 1.0),
        (N, 2, 1, 8.0, 3.0), (P, 2, 1, 11.0, 1.0), (N, 2, 2, 12.0, 3.0), (P, 2, 2, 15.0, 1.0),
    ]
    assert len(of(RepCompleted, events)) == 4


def test_zero_length_positive_still_counts_the_rep() -> None:
    events = run_to_end(Workout(make("2-1-0-1", sets=1, reps=2, get_ready_ms=0)))
    assert [(e.rep, e.at) for e in of(RepCompleted, events)] == [(1, 3.0), (2, 7.0)]


def test_explosive_phases_are_announced_as_explosive_with_the_configured_duration() -> None:
    events = run_to_end(Workout(make(sets=1, reps=1, tempo=parse_tempo("31X0", explosive_s=0.4))))
    [positive] = [e for e in of(PhaseStarted, events) if e.phase is P]
    assert positive.explosive and positive.duration == 0.4
    assert not any(e.explosive for e in of(PhaseStarted, events) if e.phase is not P)


def test_lookahead_shows_what_is_coming_without_changing_the_workout() -> None:
    workout = Workout(make())
    workout.start(0.0)
    ahead = workout.lookahead(5.0)
    assert phases(ahead) == [(N, 1, 1, 5.0, 2.0)]
    assert workout.phase is Phase.GET_READY and workout.next_deadline == 5.0


def test_view_reports_what_the_screen_shows() -> None:
    workout = Workout(leg_press(sets=3, reps=12))
    workout.start(0.0)
    workout.advance(9.0)  # rep 1's positive: 8 .. 10
    view = workout.view(9.5)
    assert (view.phase, view.set, view.sets, view.rep, view.reps_target) == (P, 1, 3, 1, 12)
    assert view.remaining == pytest.approx(0.5) and view.progress == pytest.approx(0.75)
    assert view.set_elapsed == pytest.approx(4.5)


def test_partial_set_reports_the_set_in_progress_as_cut_short() -> None:
    workout = Workout(make(sets=1, reps=5))
    workout.start(0.0)
    assert workout.partial_set(1.0) is None
    workout.advance(17.5)
    partial = workout.partial_set(17.5)
    assert partial is not None and (partial.reps_done, partial.completed, partial.tut) == (2, False, 12.5)


def test_starting_twice_is_refused() -> None:
    workout = Workout(make())
    workout.start(0.0)
    with pytest.raises(InvalidAction):
        workout.start(1.0)


phase_ms = st.integers(min_value=0, max_value=60_000)


@settings(max_examples=10, deadline=None)
@given(durations=st.tuples(phase_ms, phase_ms, phase_ms, phase_ms).filter(lambda d: sum(d) > 0), start=st.floats(0, 1e6))
def test_ten_thousand_reps_end_exactly_at_the_sum_of_their_phases(durations: tuple[int, ...], start: float) -> None:
    tempo = parse_tempo("-".join(format_seconds(ms) for ms in durations))
    workout = Workout(make(tempo=tempo, sets=1, reps=10_000, get_ready_ms=0))
    workout.start(start)
    last_rep = None
    while (deadline := workout.next_deadline) is not None:
        for event in workout.advance(deadline):
            if isinstance(event, RepCompleted):
                last_rep = event
    n, b, p, t = durations
    expected_ms = 10_000 * (n + b + p) + 9_999 * t  # the last rep has no top hold
    assert last_rep is not None and last_rep.rep == 10_000
    assert last_rep.at == start + expected_ms / 1000


def test_a_tempo_or_fallback_that_adds_up_to_zero_is_refused_before_it_can_spin() -> None:
    with pytest.raises(ValueError, match="zero seconds"):
        Workout(make(tempo=Tempo(0, 0, 0, 0)))
    with pytest.raises(ValueError, match="zero seconds"):
        Workout(make("0-0-2-0", fallback=Fallback({P: 0})))  # fine until the fallback comes on


def test_the_tempo_shown_keeps_the_running_phase_as_it_runs_after_a_fallback_switch() -> None:
    workout = Workout(leg_press(sets=1, reps=3))
    workout.start(0.0)
    workout.advance(8.5)  # rep 1's 2 s positive is running
    workout.act(Action.TOGGLE_FALLBACK, 8.5)
    assert str(workout.view(8.5).tempo) == "2-1-2-1"  # this positive still takes 2 s
    workout.advance(10.5)  # rep 1's top hold
    assert str(workout.view(10.5).tempo) == "2-1-1-1"  # the next positive will take 1 s


def test_view_says_from_which_rep_the_fallback_applies() -> None:
    workout = Workout(leg_press(sets=1, reps=3))
    workout.start(0.0)
    assert workout.view(0.0).fallback_from is None
    workout.advance(8.5)  # rep 1's positive is running: the fallback can first change rep 2
    workout.act(Action.TOGGLE_FALLBACK, 8.5)
    assert (workout.view(8.5).fallback_from, workout.view(8.5).fallback_rep) == (2, None)
    workout.advance(14.0)  # rep 2's 1 s positive has started
    assert (workout.view(14.0).fallback_from, workout.view(14.0).fallback_rep) == (2, 2)


def test_presets_and_fallbacks_are_hashable_and_cannot_be_changed() -> None:
    preset = leg_press(after_rep=8)
    assert hash(preset) == hash(dataclasses.replace(preset)) and {preset: 1}[preset] == 1
    assert preset.fallback is not None
    with pytest.raises(TypeError):
        preset.fallback.overrides[P] = 5  # type: ignore[index]
    with pytest.raises(TypeError):
        preset.cues["general"] = ("changed",)  # type: ignore[index]


def test_a_fallback_that_lasts_the_workout_does_not_carry_from_a_warm_up_into_the_working_sets() -> None:
    preset = leg_press(after_rep=2, lasts=Lasts.WORKOUT, sets=2, reps=4)
    block = Block((Exercise(preset, warmup=(WarmupSet(4, Load(40, Unit.KG)),)),))
    events = run_to_end(Workout(block_plans(block)))
    positives = [(e.plan.warmup, e.plan.number, e.rep, e.duration) for e in of(PhaseStarted, events) if e.phase is P]
    # the light warm-up switched the fallback on after rep 2; the working sets start slow again and
    # switch it on themselves after rep 2 (from then on it lasts, as the preset asks)
    assert positives == [(True, 1, r, 2.0 if r <= 2 else 1.0) for r in (1, 2, 3, 4)] + [
        (False, 1, r, 2.0 if r <= 2 else 1.0) for r in (1, 2, 3, 4)
    ] + [(False, 2, r, 1.0) for r in (1, 2, 3, 4)]
