#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A soak in one JVM (dev.grpcjni.benchmarks.reliability.Soak): by default 1,000,000 unary calls
# and 100,000 server-, client- and bidirectional streams of 10 messages, pipelined on one channel
# to a server on 127.0.0.1:0, under -Xmx512m. After warm-up and every tenth of each phase it
# prints heap after GC, RSS and the shim's live native objects, and fails if a call failed, heap
# after GC grew more than 16 MiB or RSS more than 64 MiB from the first checkpoint to the last, or
# native objects were left between calls. Arguments go to Soak (--unary=N --streams=N
# --messages=N --heap_mb=N --rss_mb=N); scripts/test.sh runs a short one. Ends with "soak: OK".
#   scripts/soak.sh [ARGS]   (build first: mvn -B -q package -DskipTests -pl java/grpc-jni-benchmarks -am)
set -euo pipefail
target="$(cd "$(dirname "$0")/.." && pwd)/java/grpc-jni-benchmarks/target"
[ -d "$target/lib" ] || { echo "soak: not built; run: mvn -B -q package -DskipTests -pl java/grpc-jni-benchmarks -am" >&2; exit 1; }
exec java --enable-native-access=ALL-UNNAMED -Xmx512m -XX:ErrorFile=hs_err_soak_%p.log \
  -cp "$target/classes:$target/lib/*" dev.grpcjni.benchmarks.reliability.Soak "$@"
