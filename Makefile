# make run: set up (venv, ALSA headers if missing) and start the coach on the default preset.
# make test: the same set-up plus the test tools, then the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APT_PACKAGES_RUN := libasound2-dev gcc python3-dev libportaudio2
APT_PACKAGES_TEST := $(APT_PACKAGES_RUN) tmux pulseaudio pulseaudio-utils libasound2-plugins

.PHONY: run test setup setup-dev system-run system-test bench sounds voice clean

run: setup
	$(BIN)/tempo-coach

test: setup-dev
	$(BIN)/python -m pytest

setup: system-run $(VENV)/.installed
setup-dev: system-test $(VENV)/.installed-dev

# simpleaudio is compiled (gcc, Python headers) against ALSA on Linux; the open stream (sounddevice)
# needs PortAudio (libportaudio2); tmux drives the real TUI in tests; the onset tests start their own
# PulseAudio (pulseaudio, pulseaudio-utils for pactl/parec, libasound2-plugins for ALSA -> PulseAudio).
system-run:
	@APT_PACKAGES="$(APT_PACKAGES_RUN)" sh .ci/apt-needs
system-test:
	@APT_PACKAGES="$(APT_PACKAGES_TEST)" sh .ci/apt-needs

$(VENV)/bin/python:
	@echo "== creating virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	@echo "== installing tempo-coach and its dependencies"
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/bin/python
	@echo "== installing tempo-coach with test tools"
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.installed

sounds: setup
	$(BIN)/python sounds/generate.py

# The spoken counts and words, recorded with espeak-ng (a development tool only: the WAVs are committed).
voice: setup
	@APT_PACKAGES="espeak-ng" sh .ci/apt-needs
	$(BIN)/python sounds/make_voice.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
