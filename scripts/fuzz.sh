#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer targets (native/fuzz, clang-14, with ASan, LSan and UBSan) into build/fuzz and
# runs each for SECONDS (default 300) from its seed corpus, native/fuzz/corpus/<target>/. Each run
# works on a temporary copy of the seeds, so the committed corpus stays the small hand-made one;
# an input that crashes, leaks, times out or fails an invariant is kept under
# build/fuzz/artifacts/. Quiet on success but for one summary line
# ("fuzz: N targets, M runs, C crashes"); exits non-zero on any finding.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

seconds=${1:-300}
case "$seconds" in '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;; esac

scripts/setup.sh --fuzz

dir=build/fuzz
targets=(fuzz_metadata fuzz_channel_args fuzz_rpc fuzz_inflate)
work=$(mktemp -d)
trap 'stop_all || true; rm -rf "$work"' EXIT

if ! { cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang-14 -DGRPCJNI_FUZZ=ON -DGRPCJNI_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo --log-level=WARNING &&
  cmake --build "$dir" -j2 --target "${targets[@]}"; } >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  echo "fuzz: the fuzz targets did not build" >&2
  exit 1
fi

export UBSAN_OPTIONS=print_stacktrace=1
mkdir -p "$dir/artifacts"
status=0 runs=0 crashes=0
for t in "${targets[@]}"; do
  cp -r "native/fuzz/corpus/$t" "$work/$t"
  # -timeout: a run stuck that long is a hang (fuzz_rpc waits on real calls), reported as a crash.
  # The time limit of run_bg is only a backstop: libFuzzer stops itself at -max_total_time.
  if ! run_bg "$work/$t.log" $((seconds + 120)) "$dir/native/fuzz/$t" \
    -max_total_time="$seconds" -timeout=30 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/$t-" "$work/$t"; then
    tail -n 60 "$work/$t.log" >&2
    echo "fuzz: $t failed; the input is under $dir/artifacts/ (rerun: $dir/native/fuzz/$t FILE)" >&2
    status=1 crashes=$((crashes + 1))
  fi
  n=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)$/\1/p' "$work/$t.log" | tail -n 1)
  runs=$((runs + ${n:-0}))
done

echo "fuzz: ${#targets[@]} targets, $runs runs, $crashes crashes"
exit $status
