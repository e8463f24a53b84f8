#!/bin/sh
# Runs draw_reference_test.py with Debian's python3 (standard library only).
set -eu
exec python3 "$@"
