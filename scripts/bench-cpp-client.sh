#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the C++ baseline's closed-loop benchmark client (native/bench/async_client.cc, gRPC's async
# C++ API) with the flags and report of scripts/bench-client.sh; --help lists them.
# Build once first: scripts/setup.sh --bench, then
#   cmake -S . -B build/bench-cpp -DGRPCJNI_BENCH_CPP=ON -DGRPCJNI_TESTS=OFF && cmake --build build/bench-cpp
set -euo pipefail
bin="$(cd "$(dirname "$0")/.." && pwd)/build/bench-cpp/native/bench/async_client"
[ -x "$bin" ] || { echo "$0: not built; run: scripts/setup.sh --bench && cmake -S . -B build/bench-cpp -DGRPCJNI_BENCH_CPP=ON -DGRPCJNI_TESTS=OFF && cmake --build build/bench-cpp" >&2; exit 1; }
exec "$bin" "$@"
