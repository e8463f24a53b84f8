#!/usr/bin/env bash
# The alert and recording rules are valid (promtool check rules), the sample
# configuration loads them (promtool check config), and each alert fires exactly when
# its unit tests say (promtool test rules). promtool comes with Debian's `prometheus`
# package (tools/packages.txt); without it the test fails.
set -euo pipefail
DIR="$TEST_SRCDIR/regulation/deploy/prometheus"
command -v promtool >/dev/null || { echo "FAIL: promtool not found (apt-get install prometheus)" >&2; exit 1; }
cd "$DIR"
promtool check rules regulation-rules.yml regulation-alerts.yml
promtool check config prometheus.yml
promtool test rules tests/alerts_test.yml
echo PASS
