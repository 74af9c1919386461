"""The functional core must not pull in the shell: no Textual, no audio, no database."""

import subprocess
import sys

CORE = ("tempo_coach.core.tempo", "tempo_coach.presets.loader", "tempo_coach.core.engine", "tempo_coach.core.plan", "tempo_coach.core.cues", "tempo_coach.core.cue_names", "tempo_coach.core.text")
SHELL = ("textual", "simpleaudio", "sqlite3")


def test_core_modules_import_nothing_from_the_shell() -> None:
    code = f"import sys; import {', '.join(CORE)}; print(' '.join(m for m in {SHELL!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []
