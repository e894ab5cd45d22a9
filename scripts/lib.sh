# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shell helpers shared by scripts/interop.sh, scripts/bench.sh and scripts/test.sh (sourced, not
# run). They track background processes in the array `pids`, which the sourcing script's EXIT trap
# stops.

pids=()

# Debian's Maven 3.8.7 prints colour resets even in batch mode; strip them.
strip() { sed 's/\x1b\[[0-9;]*m//g'; }

# stop PID...: SIGTERM, up to 5 s to exit, then SIGKILL.
stop() {
  kill "$@" 2>/dev/null
  for _ in $(seq 1 50); do
    local alive=0 p
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  kill -9 "$@" 2>/dev/null
  wait "$@" 2>/dev/null
}

# stop_all: stops every tracked process.
stop_all() {
  [ ${#pids[@]} -gt 0 ] && stop "${pids[@]}"
  pids=()
}

# run_bg LOG SECONDS CMD...: runs CMD with a time limit in the background (so the EXIT trap can
# stop it on any exit) and waits for it; returns its status.
run_bg() {
  local log=$1 limit=$2
  shift 2
  timeout "$limit" "$@" >"$log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait $pid
}

# wait_for LOG PID SED: waits up to 30 s until `sed -n SED LOG` prints something, and sets
# `found` to its first line; fails early if PID exits.
wait_for() {
  found=
  for _ in $(seq 1 300); do
    found=$(sed -n "$3" "$1" 2>/dev/null | head -n 1) # the log may not exist yet
    [ -n "$found" ] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start_grpc_java LOG READY_SED CMD...: starts one of grpc-java's servers, which need a fixed
# port: CMD gets the port through the placeholder PORT in its arguments. Tries free-looking ports
# above the ephemeral range; sets `started_port` and `started_pid`.
start_grpc_java() {
  local log=$1 ready=$2
  shift 2
  local _
  for _ in 1 2 3 4 5; do
    local port=$((10000 + RANDOM % 20000))
    (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && continue # taken
    "${@//PORT/$port}" >"$log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    if wait_for "$log" $pid "$ready"; then
      # shellcheck disable=SC2034 # for the caller
      started_port=$port started_pid=$pid
      return 0
    fi
    stop $pid
  done
  cat "$log" >&2
  return 1
}

# build_bench_cpp LOG: configures and builds the native C++ benchmark baseline (native/bench, needs
# scripts/setup.sh --bench) into build/bench-cpp, where scripts/bench-cpp-*.sh run it; CMake's
# output goes to LOG. Run from the repository's root.
build_bench_cpp() {
  {
    cmake -S . -B build/bench-cpp -DGRPCJNI_BENCH_CPP=ON -DGRPCJNI_TESTS=OFF --log-level=WARNING &&
      cmake --build build/bench-cpp -j"$(nproc)"
  } >"$1" 2>&1
}
