"""Building the app for pilot and snapshot tests: a fake clock and no scheduler thread."""

from tempo_coach.cli.commands import build_parser, load_with_overrides
from tempo_coach.tui.app import TempoCoachApp, make_app


class FakeClock:
    """Monotonic time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def build_app(argv: list[str]) -> TempoCoachApp:
    """The app as `tempo-coach run ARGV...` would build it, on a FakeClock, stepped by the test."""
    args = build_parser().parse_args(["run", *argv])
    return make_app(load_with_overrides(args), args, clock=FakeClock(), threaded=False)
