"""Every test runs with its own empty user folders: the developer's presets, config and workout
history are never read or written, whatever the test (or a subprocess it starts) does."""

import pytest


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("TEMPO_COACH_HISTORY", str(tmp_path / "history.sqlite3"))
