"""The keys that tag the set just done, on the rest screen and on the summary after an exercise's
last set: 0-4 reps in reserve (4: four or more), and `t` to type a note. Nothing waits for them."""

from __future__ import annotations

from textual.binding import Binding

RIR_KEYS = ("0", "1", "2", "3", "4")


def tag_bindings() -> list[Binding]:
    """Listed on the screens themselves (the footer has no room at 80 columns) and in the palette."""
    rir = [
        Binding(key, f"app.rir({key})", f"{key}{'+' * (key == '4')} in reserve", show=False, tooltip=f"Tag the last set: {key}{' or more' * (key == '4')} reps in reserve")
        for key in RIR_KEYS
    ]
    return [*rir, Binding("t", "app.note", "Note", show=False, tooltip="Type a note on the last set")]
