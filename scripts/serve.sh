#!/bin/sh
# `make serve`: gunicorn and the background worker with DEBUG off, as the systemd units in
# deploy/ run them; Ctrl-C (or SIGTERM) stops both, the worker after the task in hand.
set -e
PYTHON=.venv/bin/python
"$PYTHON" manage.py worker &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true; wait "$WORKER" 2>/dev/null || true' EXIT INT TERM
.venv/bin/gunicorn --config deploy/gunicorn.conf.py
