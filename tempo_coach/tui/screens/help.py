"""Help: the keys, how to read the tempo, and how to do the leg press well."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

HELP = """\
[b]Keys[/b]  The workout runs hands-free; these are for when you need them.
  [b]space[/b]   pause / resume        [b]f[/b]    fallback tempo on / off
  [b]enter[/b]   end the set now       [b]s[/b]    skip the rest or get-ready
  [b]m[/b]       sound off / on        [b]+ -[/b]  louder / quieter (sound card)
  [b]l[/b]       flash on each phase   [b]?[/b]    this help
  [b]q[/b]       quit (asks during a workout)
  [b]ctrl+c[/b]  stop at once (the set so far is saved)
  [b]ctrl+p[/b]  command palette: the same actions by name, on every screen

[b]Start screen[/b]  [b]enter[/b] starts; [b]tab[/b] goes to the fields (sets, reps, rest, tempo) and [b]esc[/b] back to the list; [b]shift+↑ ↓[/b] scroll the cues; [b]h[/b] history; [b]c[/b] calibration click. The screen flash can be on from the start: flash: true in config.yaml.

[b]Bluetooth sound late?[/b] On the start screen press [b]c[/b]: the click plays the audio offset before the title flashes. Start with [b]tempo-coach run --audio-offset 200[/b] (or audio_offset_ms: 200 in config.yaml) and adjust until you hear the click as you see the flash.

[b]Reading the tempo[/b]  2-1-1-1 means 2 s lowering, 1 s hold at the bottom, 1 s pushing, 1 s hold at the top. The running phase is in brackets: 2-1-[1]-1. X means explosive: move as fast as you can. The band names the phase in big letters and its own colour: [b]negative[/b] (lowering), [b]bottom hold[/b], [b]positive[/b] (pushing), [b]top hold[/b], [b]rest[/b]. The big number is the seconds left in the phase, beside it the rep of the set (7/12), and the bar under them fills as the phase runs.

[b]No sound card?[/b] The terminal bell rings instead: 1 bell down, 2 hold, 3 push, 4 the set is over. Press [b]l[/b] to flash the whole screen too.

[b]Fallback[/b]  When the weight gets hard to control, press [b]f[/b]: the positive gets shorter (for the leg press 2 s → 1 s) from the next positive, instead of cheating with other muscles.

[b]Leg press, step by step[/b]
  1. Feet hip-width in the middle of the platform, toes a little out, as for a squat.
  2. Hold the handles so the lower back stays on the backrest.
  3. Push the platform up a little and release the safety stops: the load is on your feet now.
  4. Lower the platform towards your chest; knees follow the toes, feet stay flat.
  5. At about 90 degrees at the knee, drive through the heels back to the start.
  6. Think about the muscles doing the work: quads, hamstrings, glutes, calves.

[b]Heels lift?[/b] Put the feet higher on the platform or lower it less far; stretch calves and ankles after training.
[b]Hips or lower back lift?[/b] Too much weight or too deep: take weight off or shorten the range.
[b]Feet together[/b] loads the outer quads; [b]wide, toes and knees out[/b] the inner quads.
[b]New to it?[/b] Learn the movement with the empty platform, then add weight gradually.
"""


class HelpScreen(ModalScreen[None]):
    """Keys, tempo notation and leg-press technique; any of escape, ? or q closes it."""

    BINDINGS = [Binding("escape,question_mark,q,h,f1,enter,space", "dismiss", "Close", key_display="esc")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(HELP, id="help-text")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Help"
