#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs grpc-jni's benchmark client (dev.grpcjni.benchmarks.qps.AsyncClient) from the built artifacts, with
# the flags of grpc-java's io.grpc.benchmarks.qps.AsyncClient (no Maven on this path); --help lists them.
# Build once first: mvn -B -q package -DskipTests -pl java/grpc-jni-compiler,java/grpc-jni-benchmarks -am
set -euo pipefail
target="$(cd "$(dirname "$0")/.." && pwd)/java/grpc-jni-benchmarks/target"
[ -d "$target/lib" ] || { echo "$0: not built; run: mvn -B -q package -DskipTests -pl java/grpc-jni-compiler,java/grpc-jni-benchmarks -am" >&2; exit 1; }
exec java --enable-native-access=ALL-UNNAMED ${GRPCJNI_BENCH_JAVA_OPTS:-} -cp "$target/classes:$target/lib/*" \
  dev.grpcjni.benchmarks.qps.AsyncClient "$@"
