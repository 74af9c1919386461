"""Stand-in sound libraries for the children that play sound: a folder put first on PYTHONPATH
holding a fake `simpleaudio` or `sounddevice` package, so the real child process (and the coach
it serves) meets a library that records, refuses, hangs or crashes as a test needs."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CRASH = "import ctypes; ctypes.string_at(0)  # a segmentation fault, as simpleaudio 1.0.4 on 3.12"

SIMPLEAUDIO = """
import os, time, zlib
RECORD = os.environ.get("STANDIN_RECORD")
plays = 0

class PlayObject:
    def is_playing(self):
        return False

def play_buffer(data, channels, width, rate):
    global plays
    plays += 1
    {on_play}
    assert len(data) > 0, "simpleaudio crashes on an empty buffer"
    if RECORD and plays > 2:  # the probe's two silences are not recorded
        with open(RECORD, "a") as out:
            out.write(f"{{len(data)}} {{zlib.crc32(data)}} {{channels}} {{width}} {{rate}}\\n")
    return PlayObject()

def stop_all():
    pass
"""


def standin(monkeypatch: pytest.MonkeyPatch, folder: Path, package: str, source: str) -> Path:
    """Put `package` (its __init__ is `source`) first on the children's PYTHONPATH; returns the folder."""
    (folder / package).mkdir(parents=True, exist_ok=True)
    (folder / package / "__init__.py").write_text(textwrap.dedent(source))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(folder), str(ROOT)]))
    return folder


def standin_simpleaudio(monkeypatch: pytest.MonkeyPatch, folder: Path, on_play: str = "pass") -> Path:
    """A simpleaudio whose play_buffer first runs `on_play` (one line; `plays` counts the calls,
    the probe's two silences included), then records each buffer in $STANDIN_RECORD."""
    return standin(monkeypatch, folder, "simpleaudio", SIMPLEAUDIO.format(on_play=on_play))
