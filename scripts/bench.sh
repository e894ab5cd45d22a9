#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks grpc-jni against grpc-java on the standard benchmark service, in one run:
#   {grpc-jni, grpc-java} clients x {grpc-jni, grpc-java} servers, for
#   unary ping-pong latency (1 channel, 1 outstanding, 0 B), unary throughput (4 channels x 32
#   outstanding, 0 B and 1 KiB), streaming ping-pong throughput (4 x 32, 0 B) and unary 64 KiB
#   (4 x 32). Each cell warms up, then measures; the server's CPU time per RPC is sampled from
#   /proc inside the measured window. Prints the table with ratios to the grpc-java -> grpc-java
#   cell of the same scenario, and writes it to docs/BENCHMARKS.md.
#   scripts/bench.sh           ~12 minutes (10 s warm-up, 20 s measured per cell)
#   scripts/bench.sh --quick   ~3 minutes (3 s warm-up, 5 s measured per cell)
# grpc-java's io.grpc:grpc-benchmarks comes from Maven Central (version in scripts/bench/pom.xml).
# Client and server share the machine: compare ratios within a run, not numbers across machines.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/lib.sh

warmup=10 duration=20 mode=full
if [ "${1:-}" = --quick ]; then warmup=3 duration=5 mode=quick; fi
command_line="scripts/bench.sh${1:+ $1}"

scripts/setup.sh
if [ ! -d java/grpc-jni-benchmarks/target/lib ]; then
  mvn -B -q package -DskipTests -pl java/grpc-jni-benchmarks -am 2>&1 | strip
fi
mvn -B -q -f scripts/bench/pom.xml package 2>&1 | strip
[ -d scripts/bench/target/lib ] || { echo "bench: could not fetch grpc-java's benchmarks" >&2; exit 1; }
gj_cp="$root/scripts/bench/target/lib/*"
grpc_java_version=$(sed -n 's:.*<grpc-java.version>\(.*\)</grpc-java.version>.*:\1:p' scripts/bench/pom.xml | head -n 1)

work=$(mktemp -d)
trap 'stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

declare -A server_port server_pid
start_grpc_jni_server() {
  scripts/bench-server.sh --address=127.0.0.1:0 >"$work/server-grpc-jni.log" 2>&1 &
  server_pid[grpc-jni]=$!
  pids+=($!)
  wait_for "$work/server-grpc-jni.log" $! 's/^Server started on port \([0-9]*\).*/\1/p' ||
    { cat "$work/server-grpc-jni.log" >&2; return 1; }
  server_port[grpc-jni]=$found
}
start_grpc_java_server() {
  start_grpc_java "$work/server-grpc-java.log" 's/^QPS Server started.*/x/p' \
    java -cp "$gj_cp" io.grpc.benchmarks.qps.AsyncServer --address=127.0.0.1:PORT || return 1
  server_pid[grpc-java]=$started_pid
  server_port[grpc-java]=$started_port
}

# cpu_ticks PID: user + system time of PID so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

run_client() { # IMPL PORT LOG ARGS...
  local impl=$1 port=$2 log=$3
  shift 3
  if [ "$impl" = grpc-jni ]; then
    scripts/bench-client.sh --address=127.0.0.1:"$port" "$@" >"$log" 2>&1
  else
    java -cp "$gj_cp" io.grpc.benchmarks.qps.AsyncClient --address=127.0.0.1:"$port" "$@" >"$log" 2>&1
  fi
}

SCENARIOS=(
  "unary latency, 0 B|--channels=1 --outstanding_rpcs=1 --client_payload=0 --server_payload=0"
  "unary, 4x32, 0 B|--channels=4 --outstanding_rpcs=32 --client_payload=0 --server_payload=0"
  "unary, 4x32, 1 KiB|--channels=4 --outstanding_rpcs=32 --client_payload=1024 --server_payload=1024"
  "streaming, 4x32, 0 B|--channels=4 --outstanding_rpcs=32 --client_payload=0 --server_payload=0 --streaming_rpcs"
  "unary, 4x32, 64 KiB|--channels=4 --outstanding_rpcs=32 --client_payload=65536 --server_payload=65536"
)
IMPLS=(grpc-java grpc-jni)

start_grpc_jni_server || { echo "bench: grpc-jni's server did not start" >&2; exit 1; }
start_grpc_java_server || { echo "bench: grpc-java's server did not start" >&2; exit 1; }

table=$work/table.md
{
  echo "| scenario | client → server | QPS | p50 µs | p99 µs | server CPU µs/RPC | QPS vs java→java | CPU/RPC vs java→java |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$table"

for scenario in "${SCENARIOS[@]}"; do
  name=${scenario%%|*}
  args=${scenario#*|}
  base_qps= base_cpu=
  for server in "${IMPLS[@]}"; do
    for client in "${IMPLS[@]}"; do
      log=$work/client.log
      # shellcheck disable=SC2086
      run_client $client ${server_port[$server]} "$log" $args --warmup_duration=$warmup --duration=$duration &
      cpid=$!
      pids+=($cpid)
      # Sample the server's CPU inside the measured window: after warm-up (plus JVM start), and
      # again a second before the end.
      sleep $((warmup + 2))
      t0=$(cpu_ticks ${server_pid[$server]}) n0=$(date +%s%N)
      sleep $((duration - 3))
      t1=$(cpu_ticks ${server_pid[$server]}) n1=$(date +%s%N)
      wait $cpid
      rc=$?
      qps=$(sed -n 's/^QPS: *\([0-9]*\).*/\1/p' "$log")
      p50=$(sed -n 's/^50%ile Latency (in micros): *\([0-9]*\).*/\1/p' "$log")
      p99=$(sed -n 's/^99%ile Latency (in micros): *\([0-9]*\).*/\1/p' "$log")
      if [ $rc -ne 0 ] || [ -z "$qps" ] || [ "$qps" -eq 0 ]; then
        echo "bench: $client -> $server, $name failed:" >&2
        tail -n 20 "$log" >&2
        exit 1
      fi
      # CPU seconds per wall second, divided by RPCs per second: CPU per RPC.
      cpu=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v ns=$((n1 - n0)) -v q="$qps" \
        'BEGIN { printf "%.1f", (t / hz) / (ns / 1e9) / q * 1e6 }')
      if [ "$client" = grpc-java ] && [ "$server" = grpc-java ]; then
        base_qps=$qps base_cpu=$cpu
      fi
      rq=$(awk -v a="$qps" -v b="${base_qps:-0}" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "" }')
      rc_=$(awk -v a="$cpu" -v b="${base_cpu:-0}" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "" }')
      line="| $name | $client → $server | $qps | $p50 | $p99 | $cpu | $rq | $rc_ |"
      echo "$line" >>"$table"
      printf '%-22s %-24s QPS %7s  p50 %6s µs  p99 %6s µs  server CPU %6s µs/RPC  %s %s\n' \
        "$name" "$client -> $server" "$qps" "$p50" "$p99" "$cpu" "$rq" "$rc_"
    done
  done
done

mkdir -p docs
{
  echo "# Benchmarks"
  echo
  echo "Generated by \`$command_line\` ($mode: ${warmup} s warm-up, ${duration} s measured per cell) on $(date -u +%Y-%m-%d)."
  echo
  echo "- Machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r)."
  echo "- Java: $(java -version 2>&1 | head -n 1). grpc-java $grpc_java_version (Netty, its default executor). grpc-jni: libgrpc $(dpkg-query -W -f='${Version}' libgrpc-dev 2>/dev/null), default executor."
  echo "- Client and server run on the same machine and share its cores; server CPU is user + system time of the server process inside the measured window, divided by the RPCs in it."
  echo "- Ratios compare each cell with grpc-java → grpc-java in the same scenario of the same run. The native C++ baseline is not built yet."
  echo
  cat "$table"
} >docs/BENCHMARKS.md
echo "bench: wrote docs/BENCHMARKS.md"
