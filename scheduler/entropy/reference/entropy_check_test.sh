#!/bin/sh
# Runs entropy_check_test.py with Debian's python3 (no packages beyond the standard library).
set -eu
exec python3 "$1" "$2"
