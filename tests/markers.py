"""Shared test markers."""

import os
import shutil

import pytest

needs_tmux = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"),
    reason="needs tmux (make test installs it); on CI a missing tmux fails instead of skipping",
)
