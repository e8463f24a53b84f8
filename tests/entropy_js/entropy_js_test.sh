#!/bin/sh
# Runs entropy_js_test.mjs with node twice: with WebCrypto (what a browser over HTTPS
# uses) and with ?crypto=noble (the vendored and BigInt code, for browsers without it).
set -eu
node "$1" "$2" "$3"
ENTROPY_JS_CRYPTO=noble node "$1" "$2" "$3"
