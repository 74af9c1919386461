"""The Textual app: routes keys and messages between the screens and a `WorkoutSession`.

Data flows one way: the session's cue thread hands engine events to `_Host.events`, which only
posts a `CoachEvents` message; on the app's own loop `refresh_view` reads one consistent `View` and
hands it to the visible screen, whose widgets repaint only what changed. Between events a single
one-shot timer wakes the UI when the next visible change is due (the next whole second of the
countdown), and not at all while paused; only the phase bar moves more often, on its own timer.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterable
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from tempo_coach.audio.backend import Backend
from tempo_coach.core.cue_names import CueName
from tempo_coach.core.engine import Action
from tempo_coach.core.events import Event, SetCompleted, View, WorkoutDone
from tempo_coach.core.load import Load, Unit, parse_load
from tempo_coach.core.model import Preset
from tempo_coach.core.routine import SetPlan
from tempo_coach.core.tempo import REP_PHASES, Phase
from tempo_coach.core.text import printable
from tempo_coach.runtime.options import RunOptions
from tempo_coach.runtime.scheduler import Clock
from tempo_coach.runtime.session import Sound, WorkoutSession
from tempo_coach.runtime.training import Training
from tempo_coach.tui.palette import screen_commands
from tempo_coach.tui.screens.ask import AskScreen
from tempo_coach.tui.screens.coach import CoachScreen
from tempo_coach.tui.screens.help import HelpScreen
from tempo_coach.tui.screens.quit import QuitScreen
from tempo_coach.tui.screens.rest import RestScreen, last_set_text
from tempo_coach.tui.screens.start import StartScreen
from tempo_coach.tui.screens.summary import NextUp, SummaryScreen
from tempo_coach.tui.screens.workout import FLASH_S
from tempo_coach.tui.widgets.display import seconds_left

MIN_TICK_S = 0.2
"""The UI never wakes more often than this between engine events (5 Hz)."""
REDRAW_AFTER_S = 0.01
"""Wake just after the countdown's digit changes, so the new digit is what gets drawn.

The countdown and the time under tension move on that one beat: about one redraw a second plus
one per phase change. The phase bar moves in between on a timer of its own that paints only its
row (widgets/phase_bar.py): the battery target (bench/cpu.py) has no room for whole redraws."""
CALIBRATION_LEAD_S = 0.6
"""The calibration flash comes this long after the key, leaving room to play the click early."""
EXIT_SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)
"""A closed terminal, a kill, a Ctrl+C from outside: save the set in progress, then exit."""
HARD_EXIT_AFTER_S = 1.9
"""After an exit signal the process ends by this time, whatever state it is in (a dead terminal
can hang a graceful exit): the sets are saved first, within the session's own bounds."""


class CoachEvents(Message):
    """Engine events from the cue thread, delivered on the app's loop."""

    def __init__(self, events: list[Event]) -> None:
        super().__init__()
        self.events = events


class Notice(Message):
    """A problem a thread worked around (a cue log that filled the disk, a set not yet saved)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class Ring(Message):
    """The bell audio backend wants the terminal bell rung (posted from any thread)."""


class _Host:
    """The session's view of the app: every call only posts a message, from any thread."""

    def __init__(self, app: App[int]) -> None:
        self.app = app

    def events(self, batch: list[Event]) -> None:
        self.app.post_message(CoachEvents(batch))

    def notice(self, text: str) -> None:
        self.app.post_message(Notice(text))

    def ring(self) -> None:
        self.app.post_message(Ring())


def next_redraw_in(view: View) -> float:
    """Seconds until the countdown next shows a different whole second."""
    to_next_second = view.remaining - (seconds_left(view.remaining) - 1)
    return max(MIN_TICK_S, to_next_second + REDRAW_AFTER_S)


def hard_exit_later(code: int, after_s: float = HARD_EXIT_AFTER_S) -> None:
    """End the process `after_s` from now even if the graceful exit hangs."""
    timer = threading.Timer(after_s, os._exit, args=(code,))
    timer.daemon = True
    timer.start()


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
        self, preset: Preset, options: RunOptions, clock: Clock = time.monotonic, threaded: bool = True, training: Training | None = None
    ) -> None:
        super().__init__()
        self.preset = preset
        self.training = training or Training.of_preset(preset, options.load)
        self.options = options
        self.clock = clock
        self.threaded = threaded
        self.host = _Host(self)
        self.sound = Sound(options, self.host.ring)
        self.session: WorkoutSession | None = None
        self.coach_screen: CoachScreen | None = None
        self.rest_screen: RestScreen | None = None
        self.flash = options.flash
        """Flash the screen on each phase change (config.yaml's flash: true, or `l`)."""
        self._tick: Timer | None = None
        self._done = False

    # ---- life cycle ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in EXIT_SIGNALS:
            loop.add_signal_handler(signum, self._exit_on_signal, signum)
        if self.options.preset is None:
            self.push_screen(StartScreen(self.preset, self.options))
        else:
            self._begin_block()

    def on_start_screen_start_requested(self, message: StartScreen.StartRequested) -> None:
        self.begin(message.training)

    def begin(self, training: Training) -> None:
        """Start a training session: one preset's sets, or a routine's blocks."""
        if self.coach_screen is not None:  # a second start request (a double key press) changes nothing
            return
        self.training = training
        self._begin_block()

    def _begin_block(self) -> None:
        """Show the coach screen for the training's current block, open the sound (off the loop:
        it probes the device), then start."""
        preset = self.preset = self.training.preset
        self.session, self._done = None, False
        self.coach_screen = CoachScreen(preset, "sound: opening…", self.clock)
        self.rest_screen = RestScreen(preset, "", self.clock)
        if self.is_screen_installed("rest"):
            self.uninstall_screen("rest")
        self.install_screen(self.rest_screen, "rest")  # kept (not removed) between rests
        if isinstance(self.screen, (StartScreen, SummaryScreen)):
            self.switch_screen(self.coach_screen)
        else:
            self.push_screen(self.coach_screen)
        if self.threaded:
            self._open_sound_then_start(preset)
        else:
            self._start(preset, self.sound.open(preset))

    def _open_sound_then_start(self, preset: Preset) -> None:
        """Open the sound on a daemon thread of its own, not a Textual worker: asyncio waits for its
        executor's threads at exit, so a probe still waiting for a device would hold the quit."""

        def open_then_start() -> None:
            backend = self.sound.open(preset)
            with contextlib.suppress(RuntimeError):  # the app has ended meanwhile (Sound closes it)
                self.call_from_thread(self._start, preset, backend)

        threading.Thread(target=open_then_start, name="tempo-coach-sound-open", daemon=True).start()

    def _start(self, preset: Preset, backend: Backend) -> None:
        """Sound is ready: start the session. The get-ready countdown runs from now."""
        if self._done:  # quit while the sound was opening
            return
        training = self.training
        self.session = WorkoutSession(preset, self.options, self.host, self.sound, self.clock, training.plans(), training.routine)
        self.session.start(backend, threaded=self.threaded)
        self._show_sound()
        self.refresh_bindings()  # the footer's End set / Skip follow the workout from now

    def on_unmount(self) -> None:
        """However the app ends, the session stops in its order and every set is committed."""
        if self.session is not None:
            self.session.close()
        self.sound.close()

    # ---- from the session's threads --------------------------------------------------------------

    def on_coach_events(self, message: CoachEvents) -> None:
        done = next((e for e in message.events if isinstance(e, WorkoutDone)), None)
        if done is not None:
            self.finish(done.sets)
            return
        self.refresh_view()

    def on_notice(self, message: Notice) -> None:
        self.notify(printable(message.text), severity="warning", timeout=10, markup=False)

    def on_ring(self, message: Ring) -> None:
        self.bell()

    # ---- drawing -----------------------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Show the session's current state on the right screen and plan the next wake-up."""
        if self.session is None or self._done or not self.screen_stack:  # none: the app is closing
            return
        handover = self.session.check_sound()
        if handover is not None:
            self._show_sound()
            self.notify(printable(handover), severity="warning", timeout=10, markup=False)
        view = self.session.view()
        if view is None:
            return
        self._place_screens(view)
        for screen in (self.coach_screen, self.rest_screen):
            if screen is not None and screen.is_mounted and screen in self.screen_stack:
                screen.show(view)
        self._schedule_tick(view)

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
        if view.paused or view.phase in (Phase.NOT_STARTED, Phase.DONE):
            return
        self._tick = self.set_timer(next_redraw_in(view), self.refresh_view, name="redraw")

    def finish(self, results: tuple[SetCompleted, ...]) -> None:
        """The workout is over: stop the clock, show the summary, commit the history off the loop."""
        if self._done:
            return
        self._done = True
        if self._tick is not None:
            self._tick.stop()
        while isinstance(self.screen, ModalScreen) or self.screen is self.rest_screen:
            self.pop_screen()
        self.training.remember(results)
        summary = SummaryScreen(self.preset, results, next_up=self._next_up(), clock=self.clock)
        self.switch_screen(summary)
        self._wrap_up_session(summary, self.session)

    def _next_up(self) -> NextUp:
        following = self.training.next_block
        if following is None:
            return NextUp("the start screen", None)
        return NextUp(following.name, self.training.rest_before_next_ms / 1000)

    def on_summary_screen_next_requested(self, message: SummaryScreen.NextRequested) -> None:
        """On from the summary: the routine's next block, or the start screen after the last. Help
        (or the palette) open over the summary is closed: the rest before the next block ran out."""
        under = [screen for screen in self.screen_stack if not isinstance(screen, ModalScreen)]
        if not under or not isinstance(under[-1], SummaryScreen):
            return
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()
        self.coach_screen = None
        if self.session is not None:
            self._close_session(self.session)
        if self.training.advance():
            self._begin_block()
            return
        self.session = None
        self.switch_screen(StartScreen(self.training.preset, self.options))

    @work(thread=True, group="history", exit_on_error=False)
    def _wrap_up_session(self, summary: SummaryScreen, session: WorkoutSession | None) -> None:
        """Stop the finished block's cue thread and sound and wait, off the loop, until every set is
        committed; its history stays open for tags on the summary. The session is handed over,
        never read from `self` here: by the time this thread runs, the lifter may have moved on."""
        if session is not None:
            note = session.wrap_up()
            self.call_from_thread(self._show_saved, summary, note)

    @work(thread=True, group="history", exit_on_error=False)
    def _close_session(self, session: WorkoutSession) -> None:
        """Close a finished block's history, off the loop, as the lifter leaves its summary."""
        session.close()

    def _show_saved(self, summary: SummaryScreen, note: str) -> None:
        if summary in self.screen_stack:  # not when the lifter has moved on already
            summary.show_saved(note)

    # ---- the lifter's actions (bound on the workout screens, listed in the command palette) -------

    def _act(self, action: Action) -> None:
        if self.session is None or self._done:
            return
        refused = self.session.act(action)
        workout = self.session.workout
        if refused is not None and workout is not None and not workout.done:  # done: the summary says it
            self.notify(refused, timeout=2, markup=False)
        self.refresh_view()
        self.refresh_bindings()  # Pause <-> Resume, End set <-> Skip in the footer

    def action_toggle_pause(self) -> None:
        self._act(Action.TOGGLE_PAUSE)

    def action_pause(self) -> None:
        self._act(Action.PAUSE)

    def action_resume(self) -> None:
        self._act(Action.RESUME)

    def action_toggle_fallback(self) -> None:
        self._act(Action.TOGGLE_FALLBACK)

    def action_end_set(self) -> None:
        self._act(Action.END_SET)

    def action_skip(self) -> None:
        """Skip the rest, or the get-ready countdown."""
        self._act(Action.SKIP)

    def action_rest(self, step: int) -> None:
        """Rest 15 s longer (1) or shorter (-1)."""
        self._act(Action.REST_LONGER if step > 0 else Action.REST_SHORTER)

    def _upcoming(self) -> SetPlan | None:
        view = self.session.view() if self.session is not None and not self._done else None
        return view.next_plan if view is not None else None

    def _unit_for(self, plan: SetPlan) -> Unit:
        return plan.unit or self.options.unit

    def action_load(self, step: int) -> None:
        """The next set one increment heavier (1) or lighter (-1)."""
        plan = self._upcoming()
        if plan is not None:
            base = plan.load or Load(0.0, self._unit_for(plan))
            self._set_load(base.stepped(step, plan.increment))

    def action_type_load(self) -> None:
        """Type the next set's load; the rest runs on meanwhile."""
        plan = self._upcoming()
        if plan is None:
            return
        unit = self._unit_for(plan)

        def typed(text: str | None) -> None:  # the set asked about, even if the rest ran out meanwhile
            if text is not None:
                self._set_load(parse_load(text, unit), plan)

        question = f"{plan.exercise}, next set's load (100, 225 lb, bw+10):"
        self.push_screen(AskScreen(question, str(plan.load or ""), check=lambda text: parse_load(text, unit)), callback=typed)

    def _set_load(self, load: Load, target: SetPlan | None = None) -> None:
        if self.session is not None:
            refused = self.session.change_load(load, target)
            if refused is not None:
                self.notify(refused, timeout=2, markup=False)
        self.refresh_view()

    def _last_result(self) -> SetCompleted | None:
        view = self.session.view() if self.session is not None else None
        return view.results[-1] if view is not None and view.results else None

    def action_rir(self, rir: int) -> None:
        """Tag the set just done with its reps in reserve (4: four or more)."""
        result = self._last_result()
        if result is not None:
            self._tag(result, rir=rir)

    def action_note(self) -> None:
        """Type a note on the set just done; the rest runs on meanwhile."""
        result = self._last_result()
        if result is None:
            return

        def typed(text: str | None) -> None:
            if text is not None and text.strip():
                self._tag(result, note=" ".join(text.split()))

        self.push_screen(AskScreen(f"Note on {last_set_text(result)}:"), callback=typed)

    def _tag(self, result: SetCompleted, rir: int | None = None, note: str | None = None) -> None:
        """Keep what the lifter said of a set (the history's writer saves it) and show it."""
        if self.session is None:
            return
        tag = self.session.tag(result, rir=rir, note=note)
        if isinstance(self.screen, SummaryScreen):
            self.screen.show_tag(tag)
        elif self.rest_screen is not None:
            self.rest_screen.tag = tag

    def action_mute(self) -> None:
        """Sound off, or (as `action_unmute`: the footer says which) on again."""
        if self.session is not None:
            self.session.toggle_mute()
            self._show_sound()
            self.refresh_bindings()  # Mute <-> Unmute

    action_unmute = action_mute

    def action_volume(self, step: int) -> None:
        if self.session is not None:
            self.session.change_volume(step)
            self._show_sound()

    def action_toggle_flash(self) -> None:
        """The whole screen flashes the new phase's colour on each phase change, or stops."""
        self.flash = not self.flash
        self._show_sound()
        self.notify(f"Screen flash on each phase change: {'on' if self.flash else 'off'} (l)", timeout=2)

    def _show_sound(self) -> None:
        """The sound line on both workout screens, now or when they are composed; and the flash."""
        if self.session is None:
            return
        line = self.session.sound_line(self.flash)
        for screen in (self.coach_screen, self.rest_screen):
            if screen is not None:
                screen.sound = line
                screen.flash_phases = self.flash
                if screen.is_mounted:
                    screen.show_sound(line)

    def action_calibrate(self) -> None:
        """Play the calibration click the audio offset before the screen flashes: with the right
        offset (--audio-offset, or audio_offset_ms in config.yaml) the two arrive together."""
        self._click_at(self.preset, time.monotonic() + CALIBRATION_LEAD_S - self.options.audio_offset_s)
        self.set_timer(CALIBRATION_LEAD_S, self._flash)

    def _click_at(self, preset: Preset, at: float) -> None:
        """The click, its backend opened (a probe) on a daemon thread, as `_open_sound_then_start`."""
        threading.Thread(
            target=lambda: self.sound.open(preset).play_at(CueName.CLICK, preset.volume, at), name="tempo-coach-click", daemon=True
        ).start()

    def _flash(self) -> None:
        screen = self.screen
        screen.add_class("flash")
        self.set_timer(FLASH_S, lambda: screen.remove_class("flash"))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(), callback=lambda _: self.refresh_view())

    def action_quit_workout(self) -> None:
        """Quit at once on the start and summary screens; ask first while a workout runs."""
        if self.session is None or self._done:
            self._done = True  # a sound still opening must not start a workout after this
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
        """Stop the session (saving the set so far, cut short) and leave."""
        self._done = True
        if self.session is not None:
            self.session.close()
        self.exit(return_code=code)

    def _exit_on_signal(self, signum: int) -> None:
        code = 128 + signum
        hard_exit_later(code)
        self._quit_mid_workout(code)

    def action_interrupt(self) -> None:
        """Ctrl+C stops at once, without asking, like an interrupt: the set so far is saved."""
        self._quit_mid_workout(128 + signal.SIGINT)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer in the footer only what applies now: end set in a set, skip while counting down,
        mute or unmute, and the volume only when there is a sound device to turn up."""
        session = self.session if not self._done else None
        workout = session.workout if session is not None else None
        if action in ("end_set", "skip"):
            if workout is None:
                return False
            in_set = workout.phase in REP_PHASES
            return in_set if action == "end_set" else not in_set
        if action in ("pause", "resume"):
            return workout is not None and workout.paused == (action == "resume")
        if action in ("mute", "unmute"):
            return session is not None and session.muted == (action == "unmute")
        if action == "volume":
            return session is not None and session.has_volume
        if action == "toggle_fallback":  # the set's own preset: a superset's exercises differ
            return (workout.preset if workout is not None else self.preset).fallback is not None
        return True

    def action_quit(self) -> None:  # type: ignore[override]
        """Every way out (the palette's Quit, the summary's q) asks first mid-workout and saves."""
        self.action_quit_workout()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands (but its Quit: ours asks first mid-workout and saves), then the
        screen's own actions that apply right now: the same as its keys, by name."""
        yield from (command for command in super().get_system_commands(screen) if command.title != "Quit")
        yield SystemCommand("Quit", "End tempo-coach; during a workout it asks first and saves the sets so far (q)", self.action_quit_workout)
        yield from screen_commands(self, screen)


def make_app(
    preset: Preset,
    options: RunOptions | None = None,
    clock: Clock = time.monotonic,
    threaded: bool = True,
    training: Training | None = None,
) -> TempoCoachApp:
    """The app as the CLI and the tests build it; `options.preset` None opens the start screen.
    `training` (a routine's) runs instead of `preset`'s sets."""
    return TempoCoachApp(preset, options or RunOptions(), clock=clock, threaded=threaded, training=training)


def run_app(preset: Preset, options: RunOptions, training: Training | None = None) -> int:
    """Run the coach in this terminal; the exit code for the CLI."""
    app = make_app(preset, options, training=training)
    app.run()
    return app.return_code or 0
