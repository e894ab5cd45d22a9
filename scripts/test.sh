#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what is missing, builds native + Java, and runs every test: the shim's ctest suite,
# JUnit unit tests (surefire) and integration tests against real servers (failsafe), the
# examples' smoke tests, the interop suite against grpc-java (scripts/interop.sh) and a smoke run
# of the native C++ benchmark baseline (native/bench, which bench.sh compares with), the chaos
# suite and a short soak (scripts/chaos.sh, scripts/soak.sh), and the native suites under
# sanitizers and a bounded fuzz run (scripts/sanitize.sh, scripts/fuzz.sh). The Maven
# suites run again on each extra JDK found (Temurin 21+ under /usr/lib/jvm), so the Java 17
# baseline and newer JVMs are both covered. Ends with one summary line; exits non-zero on
# any failure or JVM crash log.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
trap "stop_all || true" EXIT

scripts/setup.sh --bench --fuzz --chaos

status=0
passed=0 failed=0 skipped=0

run_suite() { # $1: label, rest: extra mvn arguments
  local label=$1
  shift
  # Debian's Maven 3.8.7 prints colour resets even in batch mode; strip them.
  # (set -o pipefail: a failing build fails the suite, not only the sed after it.)
  (set -o pipefail; mvn -B -q clean verify "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g') \
    || { echo "test: $label failed" >&2; status=1; failed=$((failed + 1)); }
  # Sum every JUnit XML report of this run: ctest's, surefire's and failsafe's.
  local counts
  counts=$(find . -path '*/target/*' \( -name 'TEST-*.xml' -o -name 'ctest-junit.xml' \) -print0 \
    | xargs -0 -r cat | tr '\n' ' ' | grep -o '<testsuite [^>]*>' | awk '
      function attr(name) { return match($0, name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) + 0 : 0 }
      { t += attr("tests"); f += attr("failures") + attr("errors"); s += attr("skipped") + attr("disabled") }
      END { print t - f - s, f, s }')
  read -r p f s <<<"${counts:-0 0 0}"
  echo "$label: $p passed, $f failed, $s skipped"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  check_crashes "$label"
}

check_crashes() { # $1: label
  local crashes
  # Test JVMs write theirs under target/; the interop and benchmark mains in the working directory.
  crashes=$(find . -name 'hs_err*.log' -not -path './.git/*' 2>/dev/null || true)
  if [ -n "$crashes" ]; then
    echo "test: JVM crash logs found on $1:" >&2
    echo "$crashes" >&2
    status=1
  fi
}

# gRPC's interop cases against grpc-java, both directions, plaintext and TLS (scripts/interop.sh),
# on the artifacts the main suite just built.
run_interop() {
  local out p f
  out=$(mktemp)
  scripts/interop.sh 2>&1 | tee "$out" || { echo "test: interop failed" >&2; status=1; }
  read -r p f <<<"$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$out" | tail -n 1)"
  rm -f "$out"
  if [ -z "${p:-}" ]; then
    echo "test: interop did not report" >&2
    status=1
    return
  fi
  passed=$((passed + p)) failed=$((failed + f))
  check_crashes interop
}

# The C++ benchmark baseline's mains against each other for a second, unary and streaming, so they
# cannot rot: each run passes if the report has its lines and QPS > 0. Nothing is timed.
run_bench_cpp() {
  local dir p=0 f=0 server port streaming
  dir=$(mktemp -d)
  if ! build_bench_cpp "$dir/build.log"; then
    cat "$dir/build.log" >&2
    echo "test: the C++ benchmark baseline did not build" >&2
    f=2
  else
    scripts/bench-cpp-server.sh --address=127.0.0.1:0 >"$dir/server.log" 2>&1 &
    server=$!
    pids+=("$server")
    port=
    wait_for "$dir/server.log" "$server" 's/^Server started on port \([0-9]*\)$/\1/p' && port=$found
    for streaming in false true; do
      if [ -n "$port" ] &&
        run_bg "$dir/client.log" 30 scripts/bench-cpp-client.sh --address=127.0.0.1:"$port" \
          --channels=2 --outstanding_rpcs=4 --warmup_duration=0 --duration=1 \
          --streaming_rpcs=$streaming &&
        bench_report_ok "$dir/client.log"; then
        p=$((p + 1))
      else
        echo "test: C++ benchmark client, --streaming_rpcs=$streaming, failed:" >&2
        cat "$dir/server.log" "$dir/client.log" >&2 2>/dev/null || true
        f=$((f + 1))
      fi
    done
    stop "$server" || true
  fi
  rm -rf "$dir"
  echo "bench-cpp: $p passed, $f failed, 0 skipped"
  passed=$((passed + p)) failed=$((failed + f))
  [ $f -eq 0 ] || status=1
}

# bench_report_ok LOG: LOG has the report lines of grpc-java's AsyncClient and QPS > 0.
bench_report_ok() {
  local line
  for line in '50%ile' '90%ile' '95%ile' '99%ile' '99\.9%ile'; do
    grep -Eq "^$line Latency \(in micros\): +[0-9]+$" "$1" || return 1
  done
  grep -Eq '^Maximum Latency \(in micros\): +[0-9]+$' "$1" && grep -Eq '^QPS: +[1-9][0-9]*$' "$1"
}

# The shim's ctest suite under ASan/LSan/UBSan (scripts/sanitize.sh), and a bounded fuzz run of
# every native path that decodes bytes from Java or a peer (scripts/fuzz.sh: 10 s a target, about
# a minute with its build; scripts/fuzz.sh alone runs 300 s a target).
run_native_checks() {
  local out p f s n c
  out=$(mktemp)
  scripts/sanitize.sh 2>&1 | tee "$out" || status=1
  read -r p f s <<<"$(sed -n 's/^sanitize: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$out" | tail -n 1)"
  [ -n "${p:-}" ] || { echo "test: sanitize did not report" >&2; status=1; p=0 f=1 s=0; }
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  scripts/fuzz.sh 10 2>&1 | tee "$out" || status=1
  read -r n c <<<"$(sed -n 's/^fuzz: \([0-9]*\) targets, [0-9]* runs, \([0-9]*\) crashes$/\1 \2/p' "$out" | tail -n 1)"
  [ -n "${n:-}" ] || { echo "test: fuzz did not report" >&2; status=1; n=1 c=1; }
  passed=$((passed + n - c)) failed=$((failed + c))
  rm -f "$out"
}

# Chaos (scripts/chaos.sh: a server SIGKILLed and restarted, a partition and packet loss between
# network namespaces) and a short soak (scripts/soak.sh), on the benchmark module the main suite
# just built.
run_reliability() {
  local out p f s
  out=$(mktemp)
  scripts/chaos.sh 2>&1 | tee "$out" || status=1
  read -r p f s <<<"$(sed -n 's/^chaos: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$out" | tail -n 1)"
  [ -n "${p:-}" ] || { echo "test: chaos did not report" >&2; status=1; p=0 f=1 s=0; }
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  if scripts/soak.sh --unary=100000 --streams=10000 >"$out" 2>&1; then
    grep '^soak: unary' "$out"
    passed=$((passed + 1))
  else
    cat "$out" >&2
    echo "test: soak failed" >&2
    status=1 failed=$((failed + 1))
  fi
  rm -f "$out"
  check_crashes reliability
}

run_suite "jdk$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')"
run_interop
run_reliability
run_bench_cpp
run_native_checks
for jdk in /usr/lib/jvm/temurin-2[1-9]-jdk-*; do
  [ -x "$jdk/bin/java" ] || continue
  # Compatibility pass: the volume tests ran on the main JDK already.
  JAVA_HOME=$jdk GRPCJNI_SKIP_VOLUME=1 run_suite "$(basename "$jdk")" -Dspotless.check.skip=true
done

printf '\ntests: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
exit $status
