#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs grpc-jni's interop test server from the built artifacts (no Maven on this path):
#   scripts/interop-server.sh PORT [--use_tls=true|false]
# PORT 0 picks a free port; the server prints "Server started on port N" when it is ready.
# Build once first: mvn -B -q package -DskipTests -pl java/grpc-jni-compiler,java/grpc-jni-interop -am
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 PORT [--use_tls=true|false]" >&2; exit 2; }
target="$(cd "$(dirname "$0")/.." && pwd)/java/grpc-jni-interop/target"
[ -d "$target/lib" ] || { echo "$0: not built; run: mvn -B -q package -DskipTests -pl java/grpc-jni-compiler,java/grpc-jni-interop -am" >&2; exit 1; }
port=$1
shift
exec java --enable-native-access=ALL-UNNAMED -cp "$target/classes:$target/lib/*" \
  dev.grpcjni.interop.TestServiceServer --port="$port" "$@"
