"""tempo-coach: a terminal rep-tempo coach for strength training."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tempo-coach")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
