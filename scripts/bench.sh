#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks grpc-jni against grpc-java and against the native C++ baseline (gRPC's async C++ API
# on the same C core, native/bench) on the standard benchmark service, in one run:
#   {grpc-java, grpc-jni, C++} clients x {grpc-java, grpc-jni, C++} servers, for
#   unary ping-pong latency (1 channel, 1 outstanding, 0 B), unary throughput (4 channels x 32
#   outstanding, 0 B and 1 KiB), streaming ping-pong throughput (4 x 32, 0 B) and unary 64 KiB
#   (4 x 32). Each cell warms up, then measures; the server's and the client's CPU time per RPC are
#   sampled from /proc inside the measured window. The cells that issue 6's targets compare are
#   then measured in more rounds, each ratio's two cells one right after the other, and each target
#   is judged on its median round. Then grpc-jni's heap allocation per RPC on each side
#   (AllocationProfile), and the JMH results in docs/BENCHMARKS-jmh.md if present. Prints each
#   scenario's 9 cells with ratios to its grpc-java -> grpc-java and C++ -> C++ cells, then where
#   the targets stand, and writes both to docs/BENCHMARKS.md.
#   Then grpc-java application code (scripts/bench/src: ApiClient, ApiServer) on Netty and on grpc-jni
#   (java/grpc-jni-grpcjava on the class path) beside grpc-java's mains and native grpc-jni.
#   scripts/bench.sh           ~40 minutes on 2 cores (8 s warm-up, 8 s measured per cell; 3 rounds)
#   scripts/bench.sh --quick   ~7 minutes (2 s warm-up, 3 s measured per cell; 1 round)
# grpc-java's io.grpc:grpc-benchmarks comes from Maven Central (version in scripts/bench/pom.xml).
# Client and server share the machine: compare ratios within a run, not numbers across machines.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD
. scripts/lib.sh

# rounds: how many times the targets' cells are measured (the matrix is the first round).
warmup=8 duration=8 rounds=3 mode=full
if [ "${1:-}" = --quick ]; then warmup=2 duration=3 rounds=1 mode=quick; fi
command_line="scripts/bench.sh${1:+ $1}"
# The server's CPU is sampled from 1 s after the warm-up (so a JVM client has started and is
# measuring) to 1 s before the end: that needs 3 s at least.
[ "$duration" -ge 3 ] || { echo "bench: the measured window must be 3 s or longer" >&2; exit 1; }

work=$(mktemp -d)
trap 'stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

scripts/setup.sh --bench
if [ ! -d java/grpc-jni-benchmarks/target/lib ] || [ ! -d java/grpc-jni-grpcjava/target/lib ]; then
  mvn -B -q package -DskipTests \
    -pl java/grpc-jni-compiler,java/grpc-jni-benchmarks,java/grpc-jni-grpcjava -am 2>&1 | strip
fi
mvn -B -q -f scripts/bench/pom.xml package 2>&1 | strip
[ -d scripts/bench/target/lib ] || { echo "bench: could not fetch grpc-java's benchmarks" >&2; exit 1; }
gj_cp="$root/scripts/bench/target/lib/*"
# grpc-java's API mains (scripts/bench/src): on Netty as they are, on grpc-jni with its providers.
provider_jar=$(ls java/grpc-jni-grpcjava/target/grpc-jni-grpcjava-*.jar 2>/dev/null | head -n 1)
[ -n "$provider_jar" ] || { echo "bench: java/grpc-jni-grpcjava is not built" >&2; exit 1; }
api_cp="$root/scripts/bench/target/classes:$gj_cp"
api_jni_cp="$api_cp:$root/$provider_jar:$root/java/grpc-jni-grpcjava/target/lib/*"
grpc_java_version=$(sed -n 's:.*<grpc-java.version>\(.*\)</grpc-java.version>.*:\1:p' scripts/bench/pom.xml | head -n 1)
build_bench_cpp "$work/cmake.log" ||
  { cat "$work/cmake.log" >&2; echo "bench: the C++ baseline did not build" >&2; exit 1; }

IMPLS=(grpc-java grpc-jni cpp)
label() {
  case $1 in
    cpp) echo C++ ;;
    api-jni) echo "grpc-java API on grpc-jni" ;;
    api-netty) echo "grpc-java API on Netty" ;;
    *) echo "$1" ;;
  esac
}

SCENARIOS=(
  "unary latency, 0 B|--channels=1 --outstanding_rpcs=1 --client_payload=0 --server_payload=0"
  "unary, 4x32, 0 B|--channels=4 --outstanding_rpcs=32 --client_payload=0 --server_payload=0"
  "unary, 4x32, 1 KiB|--channels=4 --outstanding_rpcs=32 --client_payload=1024 --server_payload=1024"
  "streaming, 4x32, 0 B|--channels=4 --outstanding_rpcs=32 --client_payload=0 --server_payload=0 --streaming_rpcs"
  "unary, 4x32, 64 KiB|--channels=4 --outstanding_rpcs=32 --client_payload=65536 --server_payload=65536"
)
# Indexes into SCENARIOS, for the targets.
LATENCY=0 UNARY=1 STREAMING=3 UNARY_64K=4

declare -A server_port server_pid
# start_server IMPL CMD...: starts a server that takes --address and prints "Server started on
# port N".
start_server() {
  local impl=$1 log=$work/server-$1.log
  shift
  "$@" --address=127.0.0.1:0 >"$log" 2>&1 &
  server_pid[$impl]=$!
  pids+=($!)
  wait_for "$log" $! 's/^Server started on port \([0-9]*\).*/\1/p' || { cat "$log" >&2; return 1; }
  server_port[$impl]=$found
}
# start_grpc_java_server KEY [FLAGS...]
start_grpc_java_server() {
  local key=$1
  shift
  start_grpc_java "$work/server-$key.log" 's/^QPS Server started.*/x/p' \
    java -cp "$gj_cp" io.grpc.benchmarks.qps.AsyncServer --address=127.0.0.1:PORT "$@" || return 1
  server_pid[$key]=$started_pid
  server_port[$key]=$started_port
}

run_client() { # IMPL PORT LOG ARGS...
  local impl=$1 port=$2 log=$3 jni_flags=
  shift 3
  # With callbacks on its pollers, grpc-jni polls one completion queue per core, as the C++ mains.
  case " $* " in *" --directexecutor "*) jni_flags="--completion_queues=$(nproc)" ;; esac
  case $impl in
    grpc-jni) scripts/bench-client.sh --address=127.0.0.1:"$port" "$@" ${jni_flags:+"$jni_flags"} >"$log" 2>&1 ;;
    cpp) scripts/bench-cpp-client.sh --address=127.0.0.1:"$port" "$@" >"$log" 2>&1 ;;
    grpc-java) java -cp "$gj_cp" io.grpc.benchmarks.qps.AsyncClient --address=127.0.0.1:"$port" "$@" >"$log" 2>&1 ;;
    api-netty) java -cp "$api_cp" dev.grpcjni.benchmarks.grpcjava.ApiClient --address=127.0.0.1:"$port" "$@" >"$log" 2>&1 ;;
    api-jni) java --enable-native-access=ALL-UNNAMED -cp "$api_jni_cp" dev.grpcjni.benchmarks.grpcjava.ApiClient \
      --address=127.0.0.1:"$port" "$@" >"$log" 2>&1 ;;
  esac
  local rc=$?
  [ $rc -eq 0 ] || return $rc
  # The API client says which channel grpc-java built: each must be on the transport it claims.
  case $impl in
    api-netty) grep -q '^Channel class: *io\.grpc\.' "$log" ;;
    api-jni) grep -q '^Channel class: *dev\.grpcjni\.' "$log" ;;
  esac
}

# warm_up_servers: a short run of each call kind (by the C++ client) against each JVM server before
# the matrix, so that the first scenario does not measure them while they JIT-compile.
warm_up_servers() {
  local server streaming
  for server in grpc-java grpc-jni; do
    for streaming in false true; do
      scripts/bench-cpp-client.sh --address=127.0.0.1:"${server_port[$server]}" --channels=4 \
        --outstanding_rpcs=32 --client_payload=1024 --server_payload=1024 \
        --streaming_rpcs=$streaming --warmup_duration=0 --duration="$warmup" >"$work/warm-up.log" 2>&1 ||
        { tail -n 20 "$work/warm-up.log" >&2; echo "bench: warming up $server failed" >&2; return 1; }
    done
  done
}

# cpu_ticks PID: user + system time of PID so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# tree_ticks PID: the same summed over PID and all its descendants (a client may run under a
# wrapper shell).
tree_ticks() {
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" '
    { pid = $1; sub(/^.*\) /, ""); parent[pid] = $2; ticks[pid] = $12 + $13 }
    END {
      in_tree[root] = 1
      do {
        grew = 0
        for (p in parent) if (!(p in in_tree) && (parent[p] in in_tree)) { in_tree[p] = 1; grew = 1 }
      } while (grew)
      for (p in in_tree) total += ticks[p]
      print total + 0
    }'
}
hz=$(getconf CLK_TCK)

# What each cell measured, keyed "SCENARIO|CLIENT|SERVER": QPS, p50 and p99 latency in µs, the
# server's CPU (cores busy) and its CPU time per RPC in µs, and the client's.
declare -A qps p50 p99 cores cpu client_cores client_cpu

# measure_cell SCENARIO CLIENT SERVER [ROUND]: runs one cell and records it under
# "SCENARIO|CLIENT|SERVER", or with "#ROUND" appended for a repeat round; exits on failure.
measure_cell() {
  local s=$1 client=$2 server=$3 log=$work/client.log key="$1|$2|$3${4:+#$4}"
  local args=${SCENARIOS[$1]#*|}
  # shellcheck disable=SC2086 # args are words
  run_client "$client" "${server_port[$server]}" "$log" $args --warmup_duration=$warmup --duration=$duration &
  local cpid=$! t0 t1 n0 n1 c0 c1
  pids+=("$cpid")
  sleep $((warmup + 1))
  t0=$(cpu_ticks "${server_pid[$server]}") c0=$(tree_ticks "$cpid") n0=$(date +%s%N)
  sleep $((duration - 2))
  t1=$(cpu_ticks "${server_pid[$server]}") c1=$(tree_ticks "$cpid") n1=$(date +%s%N)
  wait $cpid
  local rc=$?
  qps[$key]=$(sed -n 's/^QPS: *\([0-9]*\).*/\1/p' "$log")
  p50[$key]=$(sed -n 's/^50%ile Latency (in micros): *\([0-9]*\).*/\1/p' "$log")
  p99[$key]=$(sed -n 's/^99%ile Latency (in micros): *\([0-9]*\).*/\1/p' "$log")
  if [ $rc -ne 0 ] || [ -z "${qps[$key]}" ] || [ "${qps[$key]}" -eq 0 ]; then
    echo "bench: $(label "$client") -> $(label "$server"), ${SCENARIOS[$s]%%|*} failed:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  cores[$key]=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v ns=$((n1 - n0)) 'BEGIN { printf "%.4f", (t / hz) / (ns / 1e9) }')
  # CPU seconds per wall second, divided by RPCs per second: CPU per RPC.
  cpu[$key]=$(awk -v c="${cores[$key]}" -v q="${qps[$key]}" 'BEGIN { printf "%.1f", c / q * 1e6 }')
  client_cores[$key]=$(awk -v t=$((c1 - c0)) -v hz="$hz" -v ns=$((n1 - n0)) 'BEGIN { printf "%.4f", (t / hz) / (ns / 1e9) }')
  client_cpu[$key]=$(awk -v c="${client_cores[$key]}" -v q="${qps[$key]}" 'BEGIN { printf "%.1f", c / q * 1e6 }')
}

# ratio A B: A / B as "1.23×", or nothing if B is 0.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b }'; }

table=$work/table.md
{
  echo "| scenario | client → server | QPS | p50 µs | p99 µs | server CPU µs/RPC | client CPU µs/RPC | QPS vs java→java | QPS vs C++→C++ | server CPU/RPC vs java→java | server CPU/RPC vs C++→C++ |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$table"

# report_scenario SCENARIO: prints its cells with their ratios and adds them to the table.
report_scenario() {
  local s=$1 name=${SCENARIOS[$1]%%|*} server client
  local java="$1|grpc-java|grpc-java" cpp="$1|cpp|cpp"
  for server in "${IMPLS[@]}"; do
    for client in "${IMPLS[@]}"; do
      local k="$s|$client|$server" arrow
      arrow="$(label "$client") → $(label "$server")"
      local vq_java vq_cpp vc_java vc_cpp
      vq_java=$(ratio "${qps[$k]}" "${qps[$java]}") vq_cpp=$(ratio "${qps[$k]}" "${qps[$cpp]}")
      vc_java=$(ratio "${cpu[$k]}" "${cpu[$java]}") vc_cpp=$(ratio "${cpu[$k]}" "${cpu[$cpp]}")
      echo "| $name | $arrow | ${qps[$k]} | ${p50[$k]} | ${p99[$k]} | ${cpu[$k]} | ${client_cpu[$k]} | $vq_java | $vq_cpp | $vc_java | $vc_cpp |" >>"$table"
      printf '%-22s %-24s QPS %7s  p50 %6s µs  p99 %6s µs  CPU µs/RPC server %6s client %6s  QPS %6s %6s  server CPU %6s %6s\n' \
        "$name" "$arrow" "${qps[$k]}" "${p50[$k]}" "${p99[$k]}" "${cpu[$k]}" "${client_cpu[$k]}" "$vq_java" "$vq_cpp" "$vc_java" "$vc_cpp"
    done
  done
}

targets=$work/targets.md
rounds_table=$work/rounds.md
# Key suffix of each round: the matrix's cells have none, a repeat round's have "#ROUND".
suffixes() { local r; echo ""; for ((r = 2; r <= rounds; r++)); do echo "#$r"; done; }

# median_range V...: "MEDIAN MIN MAX" of the values.
median_range() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.4f %.4f %.4f", m, v[1], v[NR] }'
}

# target DESCRIPTION OP GOAL FUNCTION: one of issue 6's targets. FUNCTION SUFFIX prints its ratio
# in one round; the target is judged on the median round, held against GOAL with OP (<= or >=).
# OP and GOAL "-": a ratio shown for reference, not a target.
target() {
  local desc=$1 op=$2 goal=$3 fn=$4 values=() sfx met median low high goal_text
  while IFS= read -r sfx; do values+=("$("$fn" "$sfx")"); done < <(suffixes)
  read -r median low high <<<"$(median_range "${values[@]}")"
  if [ "$op" = - ]; then
    met="reference" goal_text="—"
  else
    # Judged on the ratio as shown, to 2 decimals.
    met=$(awk -v v="$median" -v g="$goal" -v op="$op" 'BEGIN { v = sprintf("%.2f", v) + 0; ok = (op == "<=" ? v <= g : v >= g); print (ok ? "met" : "not met") }')
    goal_text=$(printf '%s %.2f×' "$([ "$op" = "<=" ] && echo ≤ || echo ≥)" "$goal")
  fi
  printf '| %s | %.2f× | %.2f–%.2f× | %s | %s |\n' "$desc" "$median" "$low" "$high" "$goal_text" "$met" >>"$targets"
  printf '  %5.2f×  (rounds: %s)  goal %s  %-9s  %s\n' "$median" \
    "$(printf '%.2f ' "${values[@]}" | sed 's/ $//')" "$goal_text" "$met" "$desc"
}

# quotient A B: A / B as a plain number (0 if B is 0).
quotient() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }'; }

# per_cpu_second KEY: the cell's RPCs per second of server CPU.
per_cpu_second() { quotient "${qps[$1]}" "${cores[$1]}"; }
# per_client_cpu_second KEY: the cell's RPCs per second of client CPU.
per_client_cpu_second() { quotient "${qps[$1]}" "${client_cores[$1]}"; }

# Each target's ratio in the round with key suffix $1.
jni=grpc-jni java=grpc-java
t_latency() { quotient "${p50[$LATENCY|$jni|$jni$1]}" "${p50[$LATENCY|cpp|cpp$1]}"; }
t_latency_direct() { quotient "${p50[${DIRECT[$LATENCY]}|$jni|$jni-direct$1]}" "${p50[$LATENCY|cpp|cpp$1]}"; }
t_unary_qps() { quotient "${qps[$UNARY|cpp|$jni$1]}" "${qps[$UNARY|cpp|cpp$1]}"; }
t_unary_cpu() { quotient "${cpu[$UNARY|cpp|$jni$1]}" "${cpu[$UNARY|cpp|cpp$1]}"; }
t_server_unary() { quotient "$(per_cpu_second "$UNARY|$java|$jni$1")" "$(per_cpu_second "$UNARY|$java|$java$1")"; }
t_cpp_server_unary() { quotient "$(per_cpu_second "$UNARY|$java|cpp$1")" "$(per_cpu_second "$UNARY|$java|$java$1")"; }
t_client_unary() { quotient "$(per_client_cpu_second "$UNARY|$jni|$java$1")" "$(per_client_cpu_second "$UNARY|$java|$java$1")"; }
t_server_streaming() { quotient "$(per_cpu_second "$STREAMING|$java|$jni$1")" "$(per_cpu_second "$STREAMING|$java|$java$1")"; }
t_cpp_server_streaming() { quotient "$(per_cpu_second "$STREAMING|$java|cpp$1")" "$(per_cpu_second "$STREAMING|$java|$java$1")"; }
t_client_streaming() { quotient "$(per_client_cpu_second "$STREAMING|$jni|$java$1")" "$(per_client_cpu_second "$STREAMING|$java|$java$1")"; }
t_streaming() { quotient "${qps[$STREAMING|$jni|$jni$1]}" "${qps[$STREAMING|cpp|cpp$1]}"; }
t_streaming_direct() { quotient "${qps[${DIRECT[$STREAMING]}|$jni|$jni-direct$1]}" "${qps[$STREAMING|cpp|cpp$1]}"; }
t_unary_64k() { quotient "${qps[$UNARY_64K|$jni|$jni$1]}" "${qps[$UNARY_64K|cpp|cpp$1]}"; }

# target_cells: the cells the targets compare, each ratio's two next to each other, as
# "SCENARIO|CLIENT|SERVER".
target_cells() {
  printf '%s\n' "$LATENCY|cpp|cpp" "$LATENCY|$jni|$jni" "${DIRECT[$LATENCY]}|$jni|$jni-direct" \
    "$UNARY|cpp|cpp" "$UNARY|cpp|$jni" \
    "$UNARY|$jni|$java" "$UNARY|$java|$java" "$UNARY|$java|$jni" "$UNARY|$java|cpp" \
    "$STREAMING|cpp|cpp" "$STREAMING|$jni|$jni" "${DIRECT[$STREAMING]}|$jni|$jni-direct" \
    "$STREAMING|$jni|$java" "$STREAMING|$java|$java" "$STREAMING|$java|$jni" "$STREAMING|$java|cpp" \
    "$UNARY_64K|cpp|cpp" "$UNARY_64K|$jni|$jni"
}

# report_rounds: the targets' cells round by round (QPS; p50 µs for the latency cells).
report_rounds() {
  local s client server sfx row r
  {
    printf '| cell |'
    for ((r = 1; r <= rounds; r++)); do printf ' round %d |' "$r"; done
    printf '\n| --- |'
    for ((r = 1; r <= rounds; r++)); do printf ' ---: |'; done
    printf '\n'
    while IFS='|' read -r s client server; do
      row="| ${SCENARIOS[$s]%%|*}: $(label "$client") → $(label "${server%-direct}") |"
      while IFS= read -r sfx; do
        if [ "$s" = "$LATENCY" ] || [ "$s" = "${DIRECT[$LATENCY]}" ]; then
          row+=" ${p50[$s|$client|$server$sfx]} µs |"
        else
          row+=" ${qps[$s|$client|$server$sfx]} |"
        fi
      done < <(suffixes)
      echo "$row"
    done < <(target_cells)
  } >"$rounds_table"
  cat "$rounds_table"
}

# report_targets: where each of issue 6's targets stands in this run.
report_targets() {
  echo "| target | median of $rounds | range | goal | |" >"$targets"
  echo "| --- | ---: | ---: | ---: | --- |" >>"$targets"
  echo "targets (issue 6), median of $rounds rounds:"
  target "(a) unary latency p50: grpc-jni → grpc-jni vs C++ → C++" "<=" 1.10 t_latency
  target "(a) the same with directExecutor() on both grpc-jni sides (as C++ works)" "<=" 1.10 t_latency_direct
  target "(b) unary 4x32 0 B QPS: C++ → grpc-jni vs C++ → C++" ">=" 0.90 t_unary_qps
  target "(b) unary 4x32 0 B server CPU/RPC: C++ → grpc-jni vs C++ → C++" "<=" 1.25 t_unary_cpu
  target "(c) unary 4x32 0 B RPCs per server CPU second: grpc-java → grpc-jni vs grpc-java → grpc-java" ">=" 1.00 t_server_unary
  target "(c) the same for the C++ server on the same core: grpc-java → C++ vs grpc-java → grpc-java" - - t_cpp_server_unary
  target "(c) unary 4x32 0 B RPCs per client CPU second: grpc-jni → grpc-java vs grpc-java → grpc-java" ">=" 1.00 t_client_unary
  target "(c) streaming 4x32 0 B messages per server CPU second: grpc-java → grpc-jni vs grpc-java → grpc-java" ">=" 1.00 t_server_streaming
  target "(c) the same for the C++ server on the same core: grpc-java → C++ vs grpc-java → grpc-java" - - t_cpp_server_streaming
  target "(c) streaming 4x32 0 B messages per client CPU second: grpc-jni → grpc-java vs grpc-java → grpc-java" ">=" 1.00 t_client_streaming
  target "(d) streaming 4x32 0 B QPS: grpc-jni → grpc-jni vs C++ → C++" ">=" 0.90 t_streaming
  target "(d) the same with directExecutor() on both grpc-jni sides (as C++ works)" ">=" 0.90 t_streaming_direct
  target "(d) unary 4x32 64 KiB QPS: grpc-jni → grpc-jni vs C++ → C++" ">=" 0.90 t_unary_64k
}

# The grpc-java API section (issue 17): grpc-java code on grpc-jni's transport beside native
# grpc-jni and Netty. Clients against grpc-java's server (client CPU, as target (c)); servers under
# grpc-java's client (server CPU). Every round measures the cells back to back; the ratio of each
# round is to grpc-java -> grpc-java of that round, and the median round is reported.
API_CLIENTS=(grpc-java api-netty api-jni grpc-jni)
API_SERVERS=(grpc-java api-jni grpc-jni)
api=$work/api.md
api_section() {
  local r s c
  for ((r = 1; r <= rounds; r++)); do
    echo "bench: grpc-java's API on grpc-jni, round $r of $rounds"
    for s in "$UNARY" "$STREAMING"; do
      for c in "${API_CLIENTS[@]}"; do measure_cell "$s" "$c" grpc-java "api$r"; done
      for c in "${API_SERVERS[@]:1}"; do measure_cell "$s" grpc-java "$c" "api$r"; done
    done
  done
  {
    echo "| scenario | client → server | QPS | client CPU µs/RPC | server CPU µs/RPC | per client CPU s vs grpc-java → grpc-java | per server CPU s vs grpc-java → grpc-java |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
  } >"$api"
  echo "grpc-java's API on grpc-jni, median of $rounds rounds (ratios: per CPU second, to grpc-java → grpc-java of the same round):"
  local cells=() k q cc sc rc rs vals_q vals_cc vals_sc vals_rc vals_rs
  for s in "$UNARY" "$STREAMING"; do
    for c in "${API_CLIENTS[@]}"; do cells+=("$s|$c|grpc-java"); done
    for c in "${API_SERVERS[@]:1}"; do cells+=("$s|grpc-java|$c"); done
  done
  for k in "${cells[@]}"; do
    IFS='|' read -r s c server <<<"$k"
    vals_q=() vals_cc=() vals_sc=() vals_rc=() vals_rs=()
    for ((r = 1; r <= rounds; r++)); do
      local key="$k#api$r" base="$s|grpc-java|grpc-java#api$r"
      vals_q+=("${qps[$key]}") vals_cc+=("${client_cpu[$key]}") vals_sc+=("${cpu[$key]}")
      vals_rc+=("$(quotient "$(per_client_cpu_second "$key")" "$(per_client_cpu_second "$base")")")
      vals_rs+=("$(quotient "$(per_cpu_second "$key")" "$(per_cpu_second "$base")")")
    done
    read -r q _ _ <<<"$(median_range "${vals_q[@]}")"
    read -r cc _ _ <<<"$(median_range "${vals_cc[@]}")"
    read -r sc _ _ <<<"$(median_range "${vals_sc[@]}")"
    read -r rc rcl rch <<<"$(median_range "${vals_rc[@]}")"
    read -r rs rsl rsh <<<"$(median_range "${vals_rs[@]}")"
    printf '| %s | %s → %s | %.0f | %.1f | %.1f | %.2f× (%.2f–%.2f) | %.2f× (%.2f–%.2f) |\n' \
      "${SCENARIOS[$s]%%|*}" "$(label "$c")" "$(label "$server")" "$q" "$cc" "$sc" \
      "$rc" "$rcl" "$rch" "$rs" "$rsl" "$rsh" >>"$api"
    printf '  %-22s %-56s QPS %7.0f  CPU µs/RPC client %6.1f server %6.1f  per CPU s: client %5.2f×  server %5.2f×\n' \
      "${SCENARIOS[$s]%%|*}" "$(label "$c") -> $(label "$server")" "$q" "$cc" "$sc" "$rc" "$rs"
  done
}

write_doc() {
  mkdir -p docs
  {
    echo "# Benchmarks"
    echo
    echo "Generated by \`$command_line\` ($mode: ${warmup} s warm-up, ${duration} s measured per cell; the targets' cells in $rounds rounds) on $(date -u +%Y-%m-%d)."
    echo
    echo "- Machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r)."
    echo "- Java: $(java -version 2>&1 | head -n 1). grpc-java $grpc_java_version (Netty). grpc-jni: libgrpc $(dpkg-query -W -f='${Version}' libgrpc-dev 2>/dev/null), the default completion queues ($(sed -n 's/^Completion queues: //p' "$work/server-grpc-jni.log") here: one per two cores, 1 to 4). Both JVM sides run callbacks on a FIFO \`ForkJoinPool\` with one thread per core, as grpc-java's benchmark mains do (not the libraries' default cached pools)."
    echo "- C++: gRPC++ $(dpkg-query -W -f='${Version}' libgrpc++-dev 2>/dev/null) (the same C core), async completion-queue API, one queue and thread per core on each side (\`native/bench\`)."
    echo "- Client and server run on the same machine and share its cores; server (client) CPU is user + system time of the server (client) process inside the measured window, divided by the RPCs in it. The JVM servers get a short unary and streaming run before the first cell."
    echo "- Ratios compare each cell with grpc-java → grpc-java and with C++ → C++ in the same scenario of the same run."
    echo
    cat "$table"
    echo
    echo "## Targets"
    echo
    echo "Where the targets of issue 6 stand in this run. Each ratio is taken in every round from two cells"
    echo "measured one after the other (round 1 is the table above, where they may lie minutes apart); a"
    echo "target is judged on its median round, and the range shows how far the rounds spread."
    echo "\"RPCs per server (client) CPU second\" is QPS divided by the server's (client's) CPU seconds per second."
    echo "The rows marked reference are not targets: they put the C++ server on the same core where (c)"
    echo "puts grpc-jni's, to tell what the binding costs from what the C core does."
    echo
    cat "$targets"
    echo
    echo "The targets' cells round by round (QPS; p50 latency for the latency cells):"
    echo
    cat "$rounds_table"
    echo
    echo "## grpc-java's API on grpc-jni (issue 17)"
    echo
    echo "The same grpc-java application code on two transports: \`scripts/bench/src\`'s \`ApiClient\` (grpc-java's"
    echo "AsyncClient loop on a channel from \`Grpc.newChannelBuilderForAddress\`) and \`ApiServer\` (grpc-java's"
    echo "\`BenchmarkServiceImpl\` on \`Grpc.newServerBuilderForPort\`), run as they are (Netty) and with"
    echo "\`grpc-jni-grpcjava\` on the class path (the C core), beside grpc-java's own AsyncClient/AsyncServer and"
    echo "native grpc-jni. Clients run against grpc-java's server, servers under grpc-java's client; $rounds rounds"
    echo "of all cells back to back, median round (range)."
    echo
    cat "$api"
    echo
    echo "## Heap allocation per RPC (grpc-jni)"
    echo
    echo "Bytes allocated on the Java heap per unary RPC or per streamed message, client and server each, by"
    echo "\`dev.grpcjni.benchmarks.qps.AllocationProfile\` (both in one JVM, each side in its own \`Environment\`"
    echo "with its own threads; a side's bytes are its threads' allocation in the measured window, divided by"
    echo "the RPCs; 1 channel, 16 outstanding)."
    echo
    echo '```'
    cat "$work/allocation.txt"
    echo '```'
    if [ -f docs/BENCHMARKS-jmh.md ]; then
      echo
      cat docs/BENCHMARKS-jmh.md
    fi
  } >docs/BENCHMARKS.md
}

start_server grpc-jni scripts/bench-server.sh || { echo "bench: grpc-jni's server did not start" >&2; exit 1; }
start_grpc_java_server grpc-java || { echo "bench: grpc-java's server did not start" >&2; exit 1; }
start_server cpp scripts/bench-cpp-server.sh || { echo "bench: the C++ server did not start" >&2; exit 1; }
warm_up_servers || exit 1

for s in "${!SCENARIOS[@]}"; do
  echo "bench: ${SCENARIOS[$s]%%|*} (${#IMPLS[@]}x${#IMPLS[@]} cells)"
  for server in "${IMPLS[@]}"; do
    for client in "${IMPLS[@]}"; do
      measure_cell "$s" "$client" "$server"
    done
  done
  report_scenario "$s"
done
# The latency and streaming scenarios again with callbacks on the poller / event-loop threads
# (--directexecutor on both sides; the C++ mains always work that way): what each binding costs
# without the hop to an executor. Ratios are to the C++ -> C++ cell of the same scenario. As the
# C++ mains, grpc-jni then polls one completion queue per core: its pollers do all the work.
start_server grpc-jni-direct scripts/bench-server.sh --directexecutor --completion_queues="$(nproc)" ||
  { echo "bench: grpc-jni's direct-executor server did not start" >&2; exit 1; }
start_grpc_java_server grpc-java-direct --directexecutor ||
  { echo "bench: grpc-java's direct-executor server did not start" >&2; exit 1; }
declare -A DIRECT
for base in "$LATENCY" "$STREAMING"; do
  SCENARIOS+=("${SCENARIOS[$base]%%|*}, direct executor|${SCENARIOS[$base]#*|} --directexecutor")
  d=$((${#SCENARIOS[@]} - 1)) DIRECT[$base]=$d c="$base|cpp|cpp"
  echo "bench: ${SCENARIOS[$d]%%|*}"
  for impl in grpc-java grpc-jni; do
    measure_cell "$d" "$impl" "$impl-direct"
    k="$d|$impl|$impl-direct"
    echo "| ${SCENARIOS[$d]%%|*} | $impl → $impl | ${qps[$k]} | ${p50[$k]} | ${p99[$k]} | ${cpu[$k]} | ${client_cpu[$k]} | | $(ratio "${qps[$k]}" "${qps[$c]}") | | $(ratio "${cpu[$k]}" "${cpu[$c]}") |" >>"$table"
    printf '%-22s %-24s QPS %7s  p50 %6s µs  p99 %6s µs  CPU µs/RPC server %6s client %6s  QPS vs C++ %6s  server CPU vs C++ %6s\n' \
      "${SCENARIOS[$d]%%|*}" "$impl -> $impl" "${qps[$k]}" "${p50[$k]}" "${p99[$k]}" "${cpu[$k]}" "${client_cpu[$k]}" \
      "$(ratio "${qps[$k]}" "${qps[$c]}")" "$(ratio "${cpu[$k]}" "${cpu[$c]}")"
  done
done
# The targets' cells again: this machine's speed drifts by tens of percent within minutes, so a
# ratio is measured from two cells run one after the other, in several rounds, and judged on the
# median round.
for ((r = 2; r <= rounds; r++)); do
  echo "bench: the targets' cells, round $r of $rounds"
  while IFS='|' read -r s client server; do
    measure_cell "$s" "$client" "$server" "$r"
  done < <(target_cells)
done
report_rounds
report_targets
start_server api-jni java --enable-native-access=ALL-UNNAMED -cp "$api_jni_cp" \
  dev.grpcjni.benchmarks.grpcjava.ApiServer ||
  { echo "bench: the grpc-java API server on grpc-jni did not start" >&2; exit 1; }
grep -q 'Server started on port [0-9]* (dev\.grpcjni\.' "$work/server-api-jni.log" ||
  { echo "bench: the grpc-java API server is not on grpc-jni" >&2; cat "$work/server-api-jni.log" >&2; exit 1; }
api_section
echo "bench: heap allocation per RPC"
for executor in "" --directexecutor; do
  # shellcheck disable=SC2086 # an optional flag
  java --enable-native-access=ALL-UNNAMED -cp "java/grpc-jni-benchmarks/target/classes:java/grpc-jni-benchmarks/target/lib/*" \
    dev.grpcjni.benchmarks.qps.AllocationProfile --duration=$((duration > 5 ? 5 : duration)) $executor >>"$work/allocation.txt" 2>&1 ||
    { cat "$work/allocation.txt" >&2; echo "bench: AllocationProfile failed" >&2; exit 1; }
done
cat "$work/allocation.txt"
write_doc
echo "bench: wrote docs/BENCHMARKS.md"
