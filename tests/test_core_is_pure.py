"""The functional core must not pull in the shell: no Textual, no audio, no database."""

import subprocess
import sys

CORE = ("tempo_coach.tempo", "tempo_coach.preset", "tempo_coach.engine", "tempo_coach.plan", "tempo_coach.cues", "tempo_coach.cue_names", "tempo_coach.text")
SHELL = ("textual", "simpleaudio", "sqlite3")


def test_core_modules_import_nothing_from_the_shell() -> None:
    code = f"import sys; import {', '.join(CORE)}; print(' '.join(m for m in {SHELL!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []
