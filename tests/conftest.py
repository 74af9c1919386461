"""Every test runs with its own empty user folders: the developer's presets, config and workout
history are never read or written, whatever the test (or a subprocess it starts) does."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux_driver import Tmux


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("TEMPO_COACH_HISTORY", str(tmp_path / "history.sqlite3"))


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    """The lifter's own presets folder, empty (under the isolated config folder above)."""
    folder = tmp_path / "config" / "tempo-coach" / "presets"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    """A private tmux server for one test (the real-terminal tests), killed after it."""
    server = Tmux(tmp_path)
    try:
        yield server
    finally:
        server.kill_server()
