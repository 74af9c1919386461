"""The command line: argument parsing, the error boundary and each command's output."""

from tempo_coach.cli.commands import main

__all__ = ["main"]
