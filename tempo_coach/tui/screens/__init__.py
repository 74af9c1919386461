"""One screen a module: start, coach (get ready + set), rest, summary, help, quit; history is separate."""
