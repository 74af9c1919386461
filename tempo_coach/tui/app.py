"""The Textual app: wires the coach (engine + scheduler thread), audio and history to the screens.

Data flows one way: the scheduler thread calls `_on_coach_events`, which only posts a `CoachEvents`
message; on the app's own loop `refresh_view` reads one consistent `View` and hands it to the
visible screen, whose widgets repaint only what changed. Between events a single one-shot timer
wakes the UI when the next visible change is due (the next whole second of the countdown or the
next half-second step of the bar), about twice a second mid-set, and not at all while paused.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from tempo_coach.audio.backends import (
    Backend,
    BellBackend,
    NullBackend,
    SimpleaudioBackend,
    bell_because,
    open_backend,
)
from tempo_coach.core.engine import InvalidAction, Workout
from tempo_coach.core.events import SetCompleted, View, WorkoutDone
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import REP_PHASES, Phase
from tempo_coach.core.text import plural
from tempo_coach.history import Recorder
from tempo_coach.runtime.scheduler import Clock, Coach
from tempo_coach.tui.screens.coach import CoachScreen
from tempo_coach.tui.screens.help import HelpScreen
from tempo_coach.tui.screens.quit import QuitScreen
from tempo_coach.tui.screens.rest import RestScreen
from tempo_coach.tui.screens.start import StartScreen
from tempo_coach.tui.screens.summary import SummaryScreen
from tempo_coach.tui.screens.workout import WorkoutScreen
from tempo_coach.tui.widgets.display import seconds_left

MIN_TICK_S = 0.2
"""The UI never wakes more often than this between engine events (5 Hz)."""
REDRAW_AFTER_S = 0.01
"""Wake just after the countdown's digit changes, so the new digit is what gets drawn.

The countdown, the phase bar and the time under tension all move on that one beat: about one
redraw a second plus one per phase change. Each redraw costs a few ms of CPU, and that is what
the battery target is made of (a half-second bar step measured 1.2 % of a core; bench/cpu.py)."""


class CoachEvents(Message):
    """Engine events from the scheduler thread, delivered on the app's loop."""

    def __init__(self, events: list[Any]) -> None:
        super().__init__()
        self.events = events


class Ring(Message):
    """The bell audio backend wants the terminal bell rung (posted from any thread)."""


def next_redraw_in(view: View) -> float:
    """Seconds until the countdown next shows a different whole second."""
    to_next_second = view.remaining - (seconds_left(view.remaining) - 1)
    return max(MIN_TICK_S, to_next_second + REDRAW_AFTER_S)


# ---- audio: the one place the sound backend is wired ------------------------------------------------


def open_sound(preset: Preset, args: argparse.Namespace, ring: Callable[[], None]) -> Backend:
    """The best sound backend here (simpleaudio, else the terminal bell; none with --mute)."""
    return open_backend(preset, mute=bool(getattr(args, "mute", False)), ring=ring)


def coach_options(backend: Backend, args: argparse.Namespace) -> dict[str, Any]:
    """The Coach's audio arguments from the run options (cli has resolved --audio-offset to ms).

    Only simpleaudio plays at the instant the scheduler calls it, so only it is worth the spin on
    the clock before each cue (about 1 ms of CPU a cue); the bell rings from the UI loop anyway."""
    options: dict[str, Any] = {
        "backend": backend,
        "audio_offset_s": (getattr(args, "audio_offset", None) or 0) / 1000,
        "cue_log": getattr(args, "cue_log", None),
    }
    if not isinstance(backend, SimpleaudioBackend):
        options["spin_s"] = 0.0
    return options


def sound_line(backend: Backend | None, muted: bool, volume: float) -> str:
    """'sound: simpleaudio · volume 80% — playing on the default audio device': what `m`, `+` and
    `-` change comes first, so a narrow terminal cuts the explanation, not the state."""
    if backend is None or isinstance(backend, NullBackend):
        return f"sound: none — {backend.notice if backend else 'not opened'}"
    state = "muted" if muted else f"volume {round(volume * 100)}%"
    return f"sound: {backend.name} · {state} — {backend.notice}"


SOUND_FAILURES_TO_GIVE_UP = 2
"""After this many cues the device refused (headphones gone), the bell takes over."""
CALIBRATION_LEAD_S = 0.6
"""The calibration flash comes this long after the key, leaving room to play the click early."""
FLASH_S = 0.3

EXIT_SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)
"""A closed terminal, a kill, a Ctrl+C from outside: save the set in progress, then exit."""


def saved_note(recorder: Recorder) -> str:
    """The line under the summary table: where the sets went, or why they did not."""
    if recorder.error:
        return recorder.error
    return f"Saved {plural(recorder.saved, 'set')} to history · see them with: tempo-coach history"


class TempoCoachApp(App[int]):
    """tempo-coach: the start screen or straight into a workout, then the summary."""

    CSS_PATH = "tempo_coach.tcss"
    TITLE = "tempo-coach"
    VERTICAL_BREAKPOINTS = [(0, "-tiny"), (16, "-short"), (24, "-normal"), (30, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-normal")]
    BINDINGS = [
        Binding("ctrl+q", "quit_workout", "Quit", show=False, priority=True),
        Binding("ctrl+c", "interrupt", "Stop now", show=False, priority=True),
    ]

    def __init__(
        self,
        preset: Preset,
        args: argparse.Namespace,
        clock: Clock = time.monotonic,
        threaded: bool = True,
    ) -> None:
        super().__init__()
        self.preset = preset
        self.args = args
        self.clock = clock
        self.threaded = threaded
        self.coach: Coach | None = None
        self.backend: Backend | None = None
        self._sound_preset: Preset | None = None
        self._sound_lock = threading.Lock()
        self.recorder: Recorder | None = None
        self.coach_screen: CoachScreen | None = None
        self.rest_screen: RestScreen | None = None
        self._tick: Timer | None = None
        self._done = False

    # ---- life cycle ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in EXIT_SIGNALS:
            loop.add_signal_handler(signum, self._exit_on_signal, signum)
        if getattr(self.args, "preset", None) is None:
            self.push_screen(StartScreen(self.preset, self.args))
        else:
            self.begin(self.preset)

    def on_start_screen_start_requested(self, message: StartScreen.StartRequested) -> None:
        self.begin(message.preset)

    def begin(self, preset: Preset) -> None:
        """Show the coach screen, open the sound (off the loop: it probes the device), then start."""
        if self.coach_screen is not None:  # a second start request (a double key press) changes nothing
            return
        self.preset = preset
        self.coach_screen = CoachScreen(preset, "sound: opening…")
        self.rest_screen = RestScreen(preset, "")
        self.install_screen(self.rest_screen, "rest")  # kept (not removed) between rests
        if isinstance(self.screen, StartScreen):
            self.switch_screen(self.coach_screen)
        else:
            self.push_screen(self.coach_screen)
        if self.threaded:
            self._open_sound_then_start(preset)
        else:
            self._start(preset, self._sound_for(preset))

    @work(thread=True, group="audio", exit_on_error=False)
    def _open_sound_then_start(self, preset: Preset) -> None:
        backend = self._sound_for(preset)
        self.call_from_thread(self._start, preset, backend)

    def _start(self, preset: Preset, backend: Backend) -> None:
        """Sound is ready: start the coach. The get-ready countdown runs from now."""
        self.recorder = Recorder(preset, on_notice=lambda text: self.notify(text, severity="warning", timeout=10))
        self.coach = Coach(Workout(preset), self._coach_listener, self.clock, **coach_options(backend, self.args))
        self._show_sound(sound_line(backend, self.coach.muted, self.coach.volume))
        self.coach.start(threaded=self.threaded)
        self.refresh_bindings()  # the footer's End set / Skip follow the workout from now

    def _sound_for(self, preset: Preset) -> Backend:
        """The backend for `preset`, opened once; it reads WAVs and probes the device, so it runs
        on a worker thread (or inline in tests)."""
        with self._sound_lock:
            if self.backend is None or self._sound_preset is not preset:
                if self.backend is not None:
                    self.backend.close()
                self.backend = open_sound(preset, self.args, ring=lambda: self.post_message(Ring()))
                self._sound_preset = preset
            return self.backend

    def on_unmount(self) -> None:
        """Stop the scheduler first, then the sound (the backend is the app's to close); make sure
        every set the recorder was given is committed."""
        if self.coach is not None:
            self.coach.stop()
        if self.backend is not None:
            self.backend.close()
        if self.recorder is not None:
            self.recorder.close()

    # ---- from the scheduler thread ---------------------------------------------------------------

    def _coach_listener(self, events: list[Any]) -> None:
        """Called with the coach's lock held, from any thread: post and enqueue, never block."""
        if self.recorder is not None:
            self.recorder.on_events(events)
        self.post_message(CoachEvents(events))

    def on_coach_events(self, message: CoachEvents) -> None:
        done = next((e for e in message.events if isinstance(e, WorkoutDone)), None)
        if done is not None:
            self.finish(done.sets)
            return
        self.refresh_view()

    def on_ring(self, message: Ring) -> None:
        self.bell()

    # ---- drawing -----------------------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Show the coach's current state on the right screen and plan the next wake-up."""
        if self.coach is None or self._done:
            return
        self._check_sound()
        view = self.coach.view()
        self._place_screens(view)
        for screen in (self.coach_screen, self.rest_screen):
            if screen is not None and screen.is_mounted and screen in self.screen_stack:
                screen.show(view)
        self._schedule_tick(view)

    def _check_sound(self) -> None:
        """An audio device that stops working mid-workout: the bell takes over, and the screen says why."""
        failing = self.backend
        if self.coach is None or not isinstance(failing, SimpleaudioBackend) or failing.failures < SOUND_FAILURES_TO_GIVE_UP:
            return
        reason = f"the audio device stopped working ({failing.last_error})"
        self.backend = BellBackend(lambda: self.post_message(Ring()), bell_because(reason))
        self.coach.backend, self.coach.spin_s = self.backend, 0.0
        self._show_sound(sound_line(self.backend, self.coach.muted, self.coach.volume))
        self.notify(f"Sound: {reason}; using the terminal bell.", severity="warning", timeout=10)
        self.run_worker(failing.close, thread=True, group="audio", exit_on_error=False)

    def _place_screens(self, view: View) -> None:
        """The rest screen sits on the coach screen while resting; a modal on top defers the change."""
        if isinstance(self.screen, ModalScreen) or self.rest_screen is None:
            return
        resting = view.phase is Phase.REST
        if resting and self.screen is not self.rest_screen:
            self.push_screen(self.rest_screen)
        elif not resting and self.screen is self.rest_screen:
            self.pop_screen()

    def _schedule_tick(self, view: View) -> None:
        if self._tick is not None:
            self._tick.stop()
            self._tick = None
        if view.paused or view.phase in (None, Phase.DONE):
            return
        self._tick = self.set_timer(next_redraw_in(view), self.refresh_view, name="redraw")

    def finish(self, results: tuple[Any, ...]) -> None:
        """The workout is over: stop the clock, hand results to history, show the summary."""
        self._done = True
        if self._tick is not None:
            self._tick.stop()
        if self.coach is not None:
            self.coach.stop()
        while isinstance(self.screen, ModalScreen) or self.screen is self.rest_screen:
            self.pop_screen()
        summary = SummaryScreen(self.preset, results)
        self.switch_screen(summary)
        self._close_history(summary)

    @work(thread=True, group="history", exit_on_error=False)
    def _close_history(self, summary: SummaryScreen) -> None:
        """Wait, off the loop, until every set is committed; then say where they went."""
        if self.recorder is not None:
            self.recorder.close()
            self.call_from_thread(summary.show_saved, saved_note(self.recorder))

    # ---- the lifter's actions (bound on the workout screens, listed in the command palette) -------

    def _act(self, name: str) -> None:
        if self.coach is None or self._done:
            return
        try:
            getattr(self.coach, name)()
        except InvalidAction as error:
            self.notify(str(error), timeout=2)
        self.refresh_view()
        self.refresh_bindings()  # Pause <-> Resume, End set <-> Skip in the footer

    def action_toggle_pause(self) -> None:
        self._act("toggle_pause")

    def action_pause(self) -> None:
        self._act("pause")

    def action_resume(self) -> None:
        self._act("resume")

    def action_toggle_fallback(self) -> None:
        self._act("toggle_fallback")

    def action_end_set(self) -> None:
        self._act("end_set")

    def action_skip(self) -> None:
        """Skip the rest, or the get-ready countdown."""
        self._act("skip_rest")

    def action_mute(self) -> None:
        if self.coach is not None:
            self.coach.toggle_mute()
            self._show_sound(sound_line(self.backend, self.coach.muted, self.coach.volume))

    def action_volume(self, step: int) -> None:
        if self.coach is not None:
            volume = self.coach.volume_up() if step > 0 else self.coach.volume_down()
            self._show_sound(sound_line(self.backend, self.coach.muted, volume))

    def _show_sound(self, line: str) -> None:
        """The sound line on both workout screens, now or when they are composed."""
        for screen in (self.coach_screen, self.rest_screen):
            if screen is not None:
                screen.sound = line
                if screen.is_mounted:
                    screen.show_sound(line)

    def action_calibrate(self) -> None:
        """Play the calibration click the audio offset before the screen flashes: with the right
        offset (--audio-offset, or audio_offset_ms in config.yaml) the two arrive together."""
        offset_s = (getattr(self.args, "audio_offset", None) or 0) / 1000
        self._click_at(self.preset, time.monotonic() + CALIBRATION_LEAD_S - offset_s)
        self.set_timer(CALIBRATION_LEAD_S, self._flash)

    @work(thread=True, group="audio", exit_on_error=False)
    def _click_at(self, preset: Preset, at: float) -> None:
        backend = self._sound_for(preset)
        time.sleep(max(0.0, at - time.monotonic()))
        backend.play("click", preset.volume)

    def _flash(self) -> None:
        screen = self.screen
        screen.add_class("flash")
        self.set_timer(FLASH_S, lambda: screen.remove_class("flash"))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(), callback=lambda _: self.refresh_view())

    def action_quit_workout(self) -> None:
        """Quit at once on the start and summary screens; ask first while a workout runs."""
        if self.coach is None or self._done:
            self.exit()
            return
        if isinstance(self.screen, QuitScreen):
            return

        def answered(quit: bool | None) -> None:
            if quit:
                self._quit_mid_workout()
            else:
                self.refresh_view()

        self.push_screen(QuitScreen(), callback=answered)

    def _quit_mid_workout(self, code: int = 0) -> None:
        self._save_partial_set()
        self.exit(return_code=code)

    def _exit_on_signal(self, signum: int) -> None:
        self._quit_mid_workout(128 + signum)

    def action_interrupt(self) -> None:
        """Ctrl+C stops at once, without asking, like an interrupt: the set so far is saved."""
        self._exit_on_signal(signal.SIGINT)

    def _save_partial_set(self) -> None:
        """Stop the clock and commit the set in progress (cut short) with every set before it.
        Blocks the loop for the one commit: the app is exiting and must not lose the set."""
        partial: SetCompleted | None = None
        if self.coach is not None:
            self.coach.stop()
            workout = self.coach.workout
            partial = workout.partial_set(self.clock()) if workout.started and not self._done else None
        if self.recorder is not None:
            self.recorder.save_partial(partial)
            self.recorder.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer in the footer only what applies now: end set in a set, skip while counting down."""
        if action in ("end_set", "skip"):
            if self.coach is None or self._done:
                return False
            in_set = self.coach.workout.phase in REP_PHASES
            return in_set if action == "end_set" else not in_set
        if action in ("pause", "resume"):
            if self.coach is None or self._done:
                return False
            return self.coach.workout.paused == (action == "resume")
        if action == "toggle_fallback":
            return self.preset.fallback is not None
        return True

    def action_quit(self) -> None:  # type: ignore[override]
        """Every way out (the palette's Quit, the summary's q) asks first mid-workout and saves."""
        self.action_quit_workout()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands (but its Quit: ours asks first mid-workout and saves), then the
        workout's actions that apply right now."""
        yield from (command for command in super().get_system_commands(screen) if command.title != "Quit")
        yield SystemCommand("Quit", "End tempo-coach; during a workout it asks first and saves the sets so far (q)", self.action_quit_workout)
        if not isinstance(screen, WorkoutScreen):
            return
        workout_commands = [
            ("toggle_pause", "Pause / resume", "Pause the workout, or carry on (space)", self.action_toggle_pause),
            ("toggle_fallback", "Fallback on / off", "The fallback tempo from the next phase it changes (f)", self.action_toggle_fallback),
            ("end_set", "End set", "End this set now (enter)", self.action_end_set),
            ("skip", "Skip rest", "End the rest or the get-ready countdown now (s)", self.action_skip),
        ]
        for action, title, help_text, callback in workout_commands:
            if self.check_action(action, ()):
                yield SystemCommand(title, help_text, callback)
        yield SystemCommand("Mute", "Sound on / off (m)", self.action_mute)
        yield SystemCommand("Volume up", "Louder (+)", lambda: self.action_volume(1))
        yield SystemCommand("Volume down", "Quieter (-)", lambda: self.action_volume(-1))
        yield SystemCommand("Help", "Keys, tempo and leg-press technique (?)", self.action_help)


def make_app(
    preset: Preset,
    args: argparse.Namespace | None = None,
    clock: Clock = time.monotonic,
    threaded: bool = True,
) -> TempoCoachApp:
    """The app as the CLI and the tests build it; `args.preset` None opens the start screen."""
    if args is None:
        from tempo_coach.cli.commands import build_parser

        args = build_parser().parse_args(["run"])
    return TempoCoachApp(preset, args, clock=clock, threaded=threaded)


def run_app(preset: Preset, args: argparse.Namespace) -> int:
    """Run the coach in this terminal; the exit code for the CLI."""
    app = make_app(preset, args)
    app.run()
    return app.return_code or 0
