"""tempo-coach: a terminal rep-tempo coach for strength training."""


def __getattr__(name: str) -> str:
    """`__version__`, looked up when asked for: importlib.metadata costs every command 25 ms at
    start-up, and only `--version` and the packaging test need it."""
    if name != "__version__":
        raise AttributeError(f"module 'tempo_coach' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tempo-coach")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"
