"""Shared test markers."""

import os
import shutil

import pytest

needs_tmux = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"),
    reason="needs tmux (make test installs it); on CI a missing tmux fails instead of skipping",
)

realtime = pytest.mark.realtime
"""Runs on the real clock, in a real terminal or through a real sound path: seconds each.
`pytest -m "not realtime"` runs everything else, on fake clocks, in well under a minute."""
