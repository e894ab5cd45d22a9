#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs grpc-jni's interop test client from the built artifacts (no Maven on this path), with
# grpc-java's flags, e.g.
#   scripts/interop-client.sh --server_host=127.0.0.1 --server_port=8080 --test_case=large_unary
#   scripts/interop-client.sh --server_port=8443 --use_tls=true --use_test_ca=true \
#       --server_host_override=foo.test.google.fr --test_case=all
# Prints PASS/FAIL per case; exits 0 if all passed. --help lists the cases.
set -euo pipefail
target="$(cd "$(dirname "$0")/.." && pwd)/java/grpc-jni-interop/target"
[ -d "$target/lib" ] || { echo "$0: not built; run: mvn -B -q package -DskipTests -pl java/grpc-jni-compiler,java/grpc-jni-interop -am" >&2; exit 1; }
exec java --enable-native-access=ALL-UNNAMED -cp "$target/classes:$target/lib/*" \
  dev.grpcjni.interop.TestServiceClient "$@"
