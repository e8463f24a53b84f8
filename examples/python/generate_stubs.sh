#!/bin/bash
# Generates the Python modules of the regulation.v1 API from its .proto files, with
# Debian's protoc (protobuf-compiler) and gRPC's Python plugin (protobuf-compiler-grpc):
#
#   examples/python/generate_stubs.sh OUT_DIR [PROTO_ROOT]
#
# PROTO_ROOT is the folder holding regulation/v1/*.proto (default: proto/ of this
# repository). OUT_DIR then holds regulation/v1/*_pb2.py and *_pb2_grpc.py; put it on
# PYTHONPATH. The well-known types (google/protobuf/timestamp.proto, ...) come from
# /usr/include, where libprotobuf-dev installs them, and their Python modules from
# python3-protobuf.
set -euo pipefail
out="${1:?usage: generate_stubs.sh OUT_DIR [PROTO_ROOT]}"
root="${2:-$(cd "$(dirname "$0")/../.." && pwd)/proto}"
plugin="$(command -v grpc_python_plugin || true)"
[ -n "$plugin" ] || { echo "grpc_python_plugin not found: apt-get install protobuf-compiler-grpc" >&2; exit 2; }
mkdir -p "$out"
protoc -I "$root" -I /usr/include \
  --python_out="$out" --grpc_out="$out" --plugin=protoc-gen-grpc="$plugin" \
  "$root"/regulation/v1/*.proto
