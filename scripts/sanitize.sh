#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The shim's ctest suite (native/test) under AddressSanitizer, LeakSanitizer and
# UndefinedBehaviorSanitizer: builds build/sanitize with -DGRPCJNI_SANITIZE=ON, runs ctest and
# writes build/sanitize/ctest-junit.xml. Quiet on success but for one summary line
# ("sanitize: N passed, F failed, S skipped"); exits non-zero on any failure, leak or UB report.
#   scripts/sanitize.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

scripts/setup.sh

dir=build/sanitize
junit=$PWD/$dir/ctest-junit.xml
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# RelWithDebInfo: optimised like the shipped library, with line numbers in the reports.
if ! { cmake -S . -B "$dir" -DGRPCJNI_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  --log-level=WARNING && cmake --build "$dir" -j2; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "sanitize: the sanitizer build failed" >&2
  echo "sanitize: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

# Leaks fail a test at exit (LSan's exit code 23); UB stops it at the first report. A suppressions
# file for libgrpc's own at-exit leaks is used if one is ever needed (none is with libgrpc 1.51).
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
[ -f native/test/lsan.supp ] && export LSAN_OPTIONS=suppressions=$PWD/native/test/lsan.supp

rm -f "$junit"
status=0
ctest --test-dir "$dir" --output-on-failure --output-junit "$junit" >"$log" 2>&1 ||
  { cat "$log" >&2; status=1; }

# The same count as scripts/test.sh's over the JUnit report.
counts=$( (tr '\n' ' ' <"$junit" 2>/dev/null || true) | grep -o '<testsuite [^>]*>' | awk '
  function attr(name) { return match($0, name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) + 0 : 0 }
  { t += attr("tests"); f += attr("failures") + attr("errors"); s += attr("skipped") + attr("disabled") }
  END { print t - f - s, f, s }')
read -r p f s <<<"${counts:-0 0 0}"
if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # ctest failed without a report
echo "sanitize: $p passed, $f failed, $s skipped"
exit $status
