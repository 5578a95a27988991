#!/bin/sh
# `make run`: the web server and the background worker together, so the demo behaves like
# production (mail goes through the queue and the worker). Ctrl-C stops both.
set -e
PYTHON=.venv/bin/python
DEBUG=1 "$PYTHON" manage.py worker --interval 1 &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true; wait "$WORKER" 2>/dev/null || true' EXIT INT TERM
DEBUG=1 "$PYTHON" manage.py runserver "$1"
