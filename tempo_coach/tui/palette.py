"""The command palette offers each screen's own actions, by name, with the same checks as its keys."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.actions import parse as parse_action
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen


def screen_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """A palette command for each of the screen's own key bindings that applies now (the
    check_action of the app or the screen says so): title the binding's description, help its
    tooltip and key. Quit is the app's own command, above."""
    seen = {"app.quit_workout", "app.quit", "quit"}
    for binding in screen.BINDINGS:
        if not isinstance(binding, Binding) or binding.action in seen:
            continue
        seen.add(binding.action)
        namespace, name, parameters = parse_action(binding.action)
        target: App[Any] | Screen[Any] = app if namespace == "app" else screen
        if target.check_action(name, parameters) is False:
            continue
        key = app.get_key_display(binding)
        help_text = f"{binding.tooltip} ({key})" if binding.tooltip else key
        yield SystemCommand(binding.description, help_text, partial(app.run_action, binding.action, screen))
