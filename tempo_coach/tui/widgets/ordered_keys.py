"""An Input and an OptionList whose own keys take effect in the order they were typed.

Textual hands a printable key to the focused Input at once, but a bound key (backspace, the arrows,
enter) only after the event has bubbled up to the app: in a fast burst (a paste, a macro, a busy
machine) `12` + backspace, backspace, `8`, enter can start a set of 1 rep instead of 8 (Textual
issue #6605). These widgets run their own bindings as the key arrives in their queue, in order
with the characters around it; what a key does is unchanged.
"""

from __future__ import annotations

from functools import cache

from textual import events
from textual.actions import parse as parse_action
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input, OptionList


@cache
def own_actions(widget_class: type[Widget]) -> dict[str, str]:
    """Key -> action of the class's own non-priority bindings, a subclass's winning (priority ones
    run before the widget sees the key)."""
    actions: dict[str, str] = {}
    for klass in reversed(widget_class.__mro__):
        for binding in Binding.make_bindings(vars(klass).get("BINDINGS", ())):
            if not binding.priority:
                actions[binding.key] = binding.action
    return actions


async def run_own_binding(widget: Widget, event: events.Key) -> None:
    """Run `widget`'s binding for the key now, instead of after the event has bubbled to the app."""
    action = own_actions(type(widget)).get(event.key)
    if action is None:
        return
    _, name, parameters = parse_action(action)
    if widget.check_action(name, parameters) is False:
        return
    event.stop()
    event.prevent_default()
    await widget.run_action(action)


START = Binding("enter", "submit", "Start", tooltip="Start with the numbers as they read now")
"""Enter in a start-screen field or list starts the workout: the footer says so (the widget's own
enter would hide the screen's)."""


class FieldInput(Input):
    """An Input whose editing keys and enter stay in order with the characters typed around them."""

    BINDINGS = [START]

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            await run_own_binding(self, event)


class PresetList(OptionList):
    """An OptionList whose arrows and enter stay in order with the keys around them."""

    BINDINGS = [Binding("enter", "select", START.description, tooltip=START.tooltip)]

    async def _on_key(self, event: events.Key) -> None:
        await run_own_binding(self, event)
