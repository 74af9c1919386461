"""Building the app for pilot and snapshot tests: a fake clock and no cue thread."""

from clock import FakeClock, step_until

from tempo_coach.cli.commands import build_parser, load_with_overrides, run_options
from tempo_coach.tui.app import TempoCoachApp, make_app


def build_app(argv: list[str]) -> TempoCoachApp:
    """The app as `tempo-coach run ARGV...` would build it, on a FakeClock, stepped by the test."""
    args = build_parser().parse_args(["run", *argv])
    return make_app(load_with_overrides(args), run_options(args), clock=FakeClock(), threaded=False)


async def advance(app: TempoCoachApp, pilot, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Move the fake clock, let the coach fire what is due, and let the screen catch up."""
    assert app.session is not None and app.session.coach is not None
    step_until(app.session.coach, app.clock, app.clock.now + seconds)  # type: ignore[attr-defined]
    app.refresh_view()
    await pilot.pause()
    await pilot.pause()
