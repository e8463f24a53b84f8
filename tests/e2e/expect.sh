# The end-to-end tests' checks of a command's exit and output, sourced by each test (and
# by ops_test_lib.sh). The sourcing script defines fail(), which reports and exits: each
# test prints its own servers' logs.

# Runs a command that must fail; prints its combined output; fails the test if the exit
# code differs from $1.
expect_exit() {
  local want="$1"; shift
  local out code=0
  out="$("$@" 2>&1)" || code=$?
  [ "$code" -eq "$want" ] || fail "expected exit $want, got $code from: $* -> $out"
  printf '%s' "$out"
}

# Runs a command that must succeed and checks its output for a pattern ($2 names the
# step). The output is read whole first: `cmd | grep -q` under pipefail fails when grep
# stops reading early and the command gets SIGPIPE.
expect_output() {
  local pattern="$1" what="$2" out
  shift 2
  out="$("$@" 2>&1)" || fail "$what: exit $? from $*: $out"
  grep -q -- "$pattern" <<<"$out" || fail "$what: no \"$pattern\" in: $out"
}
