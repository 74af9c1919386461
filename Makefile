# make run: set up (venv, ALSA headers if missing) and start the coach on the default preset.
# make test: the same set-up plus the test tools, then the whole test suite.
# make test-all: the whole suite on every supported Python, each in its own .venv-3.X.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APT_PACKAGES_RUN := libasound2-dev gcc python3-dev libportaudio2
APT_PACKAGES_TEST := $(APT_PACKAGES_RUN) tmux pulseaudio pulseaudio-utils libasound2-plugins pipewire pipewire-pulse wireplumber

.PHONY: run test test-all setup setup-dev system-run system-test bench sounds voice clean

run: setup
	$(BIN)/tempo-coach

test: setup-dev
	$(BIN)/python -m pytest

SUPPORTED_PYTHONS := 3.11 3.12 3.13

# Each Python in turn (a missing one fails, naming it); what each ran and how long it took at the end.
test-all:
	@for version in $(SUPPORTED_PYTHONS); do .ci/find-python $$version >/dev/null || exit 1; done
	@rm -f .test-all.log; for version in $(SUPPORTED_PYTHONS); do \
		echo "== Python $$version"; started=$$(date +%s); \
		$(MAKE) --no-print-directory test PYTHON="$$(.ci/find-python $$version)" VENV=.venv-$$version | tee .test-all.out; \
		status=$${PIPESTATUS[0]}; \
		echo "Python $$version: $$(grep -E '^=+ .* in [0-9.]+s' .test-all.out | tail -1 | tr -d '=') ($$(( $$(date +%s) - started )) s with set-up)" >> .test-all.log; \
		[ "$$status" -eq 0 ] || { cat .test-all.log; rm -f .test-all.out; exit "$$status"; }; \
	done; rm -f .test-all.out; cat .test-all.log

setup: system-run $(VENV)/.installed
setup-dev: system-test $(VENV)/.installed-dev

# simpleaudio is compiled (gcc, Python headers) against ALSA on Linux; the open stream (sounddevice)
# needs PortAudio (libportaudio2); tmux drives the real TUI in tests; the onset tests start their own
# PulseAudio (pulseaudio, pulseaudio-utils for pactl/parec, libasound2-plugins for ALSA -> PulseAudio)
# and their own PipeWire (pipewire, pipewire-pulse, wireplumber: started by the test, not as a service).
system-run:
	@APT_PACKAGES="$(APT_PACKAGES_RUN)" sh .ci/apt-needs
system-test:
	@APT_PACKAGES="$(APT_PACKAGES_TEST)" sh .ci/apt-needs

$(VENV)/bin/python:
	@echo "== creating virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# simpleaudio-patched installs the same `simpleaudio` package as the crashing 1.0.4 release
# (README, "Sound backends"): a virtualenv that has that release loses it, and the files both share,
# before the install puts the patched one back.
DROP_OLD_SIMPLEAUDIO = $(BIN)/python -m pip show -q simpleaudio >/dev/null 2>&1 && $(BIN)/python -m pip uninstall -q -y simpleaudio simpleaudio-patched || true
$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	@echo "== installing tempo-coach and its dependencies"
	$(DROP_OLD_SIMPLEAUDIO)
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/bin/python
	@echo "== installing tempo-coach with test tools"
	$(DROP_OLD_SIMPLEAUDIO)
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.installed

sounds: setup
	$(BIN)/python sounds/generate.py

# The spoken counts and words, recorded with espeak-ng (a development tool only: the WAVs are committed).
voice: setup
	@APT_PACKAGES="espeak-ng" sh .ci/apt-needs
	$(BIN)/python sounds/make_voice.py

clean:
	rm -rf $(VENV) .venv-* build dist .pytest_cache
