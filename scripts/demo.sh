#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what is missing, builds, starts the helloworld server on a free port, calls it once
# and prints the greeting.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
# Debian's Maven 3.8.7 prints colour resets even in batch mode; strip them.
mvn -B -q package -DskipTests 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
[ -d examples/helloworld/target/lib ] || { echo "demo: build failed" >&2; exit 1; }

example=examples/helloworld/target
cp="$example/classes:$example/lib/*"
out=$(mktemp)
java --enable-native-access=ALL-UNNAMED -cp "$cp" dev.grpcjni.examples.helloworld.HelloWorldServer --address=127.0.0.1:0 >"$out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -f "$out"' EXIT

for _ in $(seq 1 100); do
  grep -q "Server listening on" "$out" && break
  kill -0 $server 2>/dev/null || { cat "$out" >&2; exit 1; }
  sleep 0.1
done
target=$(sed -n 's/^Server listening on //p' "$out")
[ -n "$target" ] || { echo "demo: server did not start" >&2; cat "$out" >&2; exit 1; }

java --enable-native-access=ALL-UNNAMED -cp "$cp" dev.grpcjni.examples.helloworld.HelloWorldClient --target="$target" --name="${1:-World}"
