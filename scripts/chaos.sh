#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Chaos against a real server process (dev.grpcjni.benchmarks.reliability.ChaosServer) and one
# client channel (ChaosClient), each scenario with its pass conditions:
#   kill       the server SIGKILLed under load, restarted on the same port 2 s later: calls made
#              while it is down fail fast with UNAVAILABLE (none waits out its 1 s deadline; those
#              in flight at the kill may end either way), and the same channel serves again within
#              3 s of the restart.
#   partition  server and client in two network namespaces joined by a veth pair; nftables drops
#              everything between them for 6 s. A stream nobody writes to ends UNAVAILABLE within
#              keepalive time + timeout (1 s + 1 s) + 1.5 s of the cut; calls during the cut fail
#              DEADLINE_EXCEEDED or UNAVAILABLE; after it heals calls succeed again within 5 s.
#   loss       10% of the packets dropped each way for 6 s: at least 90% of the calls made in that
#              time succeed (deadline 2 s).
# partition and loss need root, `ip netns` and nftables (scripts/setup.sh --chaos); where those are
# missing they are reported skipped. Ends with "chaos: N passed, M failed, K skipped".
#   scripts/chaos.sh      (build first: mvn -B -q package -DskipTests -pl java/grpc-jni-benchmarks -am)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
pids=()
scripts/setup.sh --chaos
target=java/grpc-jni-benchmarks/target
[ -d "$target/lib" ] || { echo "chaos: not built; run: mvn -B -q package -DskipTests -pl java/grpc-jni-benchmarks -am" >&2; exit 1; }
dir=$(mktemp -d)
ns_a=gjchaos-a ns_b=gjchaos-b
cleanup() {
  stop_all || true
  ip netns del $ns_a 2>/dev/null || true
  ip netns del $ns_b 2>/dev/null || true
  [ -n "${GRPCJNI_CHAOS_KEEP:-}" ] && echo "chaos: logs in $dir" || rm -rf "$dir"
}
trap cleanup EXIT
java_main() { # CLASS ARGS...
  local class=$1
  shift
  exec java --enable-native-access=ALL-UNNAMED -Xmx256m -XX:ErrorFile="$dir/hs_err_%p.log" \
    -cp "$target/classes:$target/lib/*" "dev.grpcjni.benchmarks.reliability.$class" "$@"
}
now_ms() { date +%s%3N; }
passed=0 failed=0 skipped=0
verdict() { # NAME OK(0/1) DETAIL
  if [ "$2" = 0 ]; then
    passed=$((passed + 1))
    echo "chaos: $1: ok ($3)"
  else
    failed=$((failed + 1))
    echo "chaos: $1: FAILED ($3)" >&2
  fi
}
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null || { echo $port; return; }
  done
}

# ---- kill: SIGKILL and restart under load
scenario_kill() {
  local port server client kill_ms dead_ms restart_ms result
  port=$(free_port)
  java_main ChaosServer 127.0.0.1:$port >"$dir/server1.log" 2>&1 &
  server=$!
  pids+=("$server")
  wait_for "$dir/server1.log" $server 's/^listening on \([0-9]*\)$/\1/p' || { verdict kill 1 "server did not start"; return; }
  java_main ChaosClient --target=127.0.0.1:$port --seconds=9 --deadline_ms=1000 >"$dir/kill.log" 2>&1 &
  client=$!
  pids+=("$client")
  sleep 2.5
  kill_ms=$(now_ms)
  kill -9 $server
  wait $server 2>/dev/null || true
  dead_ms=$(now_ms) # calls that end from kill_ms on and started before this were in flight
  sleep 2
  restart_ms=$(now_ms)
  java_main ChaosServer 127.0.0.1:$port >"$dir/server2.log" 2>&1 &
  server=$!
  pids+=("$server")
  wait $client || true
  # A call line holds its end time and duration. A call in flight at the kill (ended from kill_ms
  # on, started before the server was reaped) may end either way: one the server answered just
  # before it died ends OK a moment after kill_ms.
  result=$(awk -v k="$kill_ms" -v d="$dead_ms" -v r="$restart_ms" '
    $1 == "call" {
      t = $2; code = $3; ms = $4
      if (t < k) { if (code == "OK") before++; else bad_before++ }
      else if (t - ms < d) { in_flight++ }
      else if (first_ok == 0 && t < r) { down++; if (code != "UNAVAILABLE" || ms > 500) slow_or_wrong++ }
      else if (code == "OK") { if (first_ok == 0) first_ok = t; after++ }
      else if (first_ok > 0) bad_after++
    }
    END {
      recovery = first_ok > 0 ? first_ok - r : -1
      ok = before > 0 && bad_before == 0 && down > 0 && slow_or_wrong == 0 && first_ok > 0 && recovery <= 3000 && bad_after == 0
      printf "%d %d OK before the kill, %d in flight at it, %d calls while down (%d not fast UNAVAILABLE), first OK %d ms after the restart, %d OK after, %d failed after\n", !ok, before, in_flight, down, slow_or_wrong, recovery, after, bad_after
    }' "$dir/kill.log")
  verdict kill "${result%% *}" "${result#* }"
  stop $server || true
}

# ---- partition and loss between two network namespaces
netns_ready() {
  [ "$(id -u)" = 0 ] && command -v ip >/dev/null && command -v nft >/dev/null || return 1
  ip netns del $ns_a 2>/dev/null || true
  ip netns del $ns_b 2>/dev/null || true
  ip netns add $ns_a && ip netns add $ns_b || return 1
  ip link add gjchaos-va type veth peer name gjchaos-vb &&
    ip link set gjchaos-va netns $ns_a && ip link set gjchaos-vb netns $ns_b &&
    ip -n $ns_a addr add 10.213.0.1/24 dev gjchaos-va && ip -n $ns_b addr add 10.213.0.2/24 dev gjchaos-vb &&
    ip -n $ns_a link set gjchaos-va up && ip -n $ns_b link set gjchaos-vb up &&
    ip -n $ns_a link set lo up && ip -n $ns_b link set lo up &&
    ip netns exec $ns_a nft add table inet chaos &&
    ip netns exec $ns_a nft add chain inet chaos in '{ type filter hook input priority 0; }' &&
    ip netns exec $ns_a nft add chain inet chaos out '{ type filter hook output priority 0; }'
}
impair() { # nft rule tail, e.g. "drop" or "numgen random mod 10 < 1 drop"
  ip netns exec $ns_a nft add rule inet chaos in iifname gjchaos-va "$@"
  ip netns exec $ns_a nft add rule inet chaos out oifname gjchaos-va "$@"
}
heal() {
  ip netns exec $ns_a nft flush chain inet chaos in
  ip netns exec $ns_a nft flush chain inet chaos out
}
start_ns_server() { # LOG: sets ns_server
  ip netns exec $ns_a java --enable-native-access=ALL-UNNAMED -Xmx256m -XX:ErrorFile="$dir/hs_err_%p.log" \
    -cp "$target/classes:$target/lib/*" dev.grpcjni.benchmarks.reliability.ChaosServer 10.213.0.1:50051 >"$1" 2>&1 &
  ns_server=$!
  pids+=("$ns_server")
  wait_for "$1" $ns_server 's/^listening on \([0-9]*\)$/\1/p'
}

scenario_partition() {
  local client cut_ms heal_ms result
  start_ns_server "$dir/server-p.log" || { verdict partition 1 "server did not start"; return; }
  ip netns exec $ns_b java --enable-native-access=ALL-UNNAMED -Xmx256m -XX:ErrorFile="$dir/hs_err_%p.log" \
    -cp "$target/classes:$target/lib/*" dev.grpcjni.benchmarks.reliability.ChaosClient \
    --target=10.213.0.1:50051 --seconds=16 --deadline_ms=1000 --keepalive_ms=1000 --hold >"$dir/partition.log" 2>&1 &
  client=$!
  pids+=("$client")
  sleep 3
  cut_ms=$(now_ms)
  impair drop
  sleep 6
  heal_ms=$(now_ms)
  heal
  wait $client || true
  result=$(awk -v c="$cut_ms" -v h="$heal_ms" '
    $1 == "hold" && $2 >= c && hold_at == 0 { hold_at = $2; hold_code = $3 }
    $1 == "call" {
      t = $2; code = $3
      if (t < c) { if (code == "OK") before++; else bad_before++ }
      else if (t < h) { cut++; if (code != "DEADLINE_EXCEEDED" && code != "UNAVAILABLE" && code != "OK") wrong++ }
      else if (code == "OK") { if (first_ok == 0) first_ok = t; after++ }
      else if (first_ok > 0) bad_after++
    }
    END {
      detect = hold_at > 0 ? hold_at - c : -1
      recovery = first_ok > 0 ? first_ok - h : -1
      ok = before > 0 && bad_before == 0 && hold_code == "UNAVAILABLE" && detect <= 3500 && wrong == 0 && first_ok > 0 && recovery <= 5000 && bad_after == 0
      printf "%d idle stream ended %s %d ms after the cut, %d calls during it (%d with another status), first OK %d ms after healing, %d failed after\n", !ok, hold_code == "" ? "never" : hold_code, detect, cut, wrong, recovery, bad_after
    }' "$dir/partition.log")
  verdict partition "${result%% *}" "${result#* }"
  stop $ns_server || true
}

scenario_loss() {
  local client from_ms to_ms result
  start_ns_server "$dir/server-l.log" || { verdict loss 1 "server did not start"; return; }
  ip netns exec $ns_b java --enable-native-access=ALL-UNNAMED -Xmx256m -XX:ErrorFile="$dir/hs_err_%p.log" \
    -cp "$target/classes:$target/lib/*" dev.grpcjni.benchmarks.reliability.ChaosClient \
    --target=10.213.0.1:50051 --seconds=10 --deadline_ms=2000 >"$dir/loss.log" 2>&1 &
  client=$!
  pids+=("$client")
  sleep 2
  from_ms=$(now_ms)
  impair numgen random mod 10 '<' 1 drop
  sleep 6
  to_ms=$(now_ms)
  heal
  wait $client || true
  result=$(awk -v f="$from_ms" -v t="$to_ms" '
    $1 == "call" && $2 >= f && $2 < t { n++; if ($3 == "OK") ok++; sum += $4 }
    END {
      pass = n > 0 && ok >= 0.9 * n
      printf "%d %d of %d calls OK under 10%% loss, mean %.0f ms\n", !pass, ok, n, n ? sum / n : 0
    }' "$dir/loss.log")
  verdict loss "${result%% *}" "${result#* }"
  stop $ns_server || true
}

scenario_kill
if netns_ready 2>"$dir/netns.log"; then
  scenario_partition
  scenario_loss
else
  echo "chaos: partition, loss: skipped (needs root, ip netns and nftables: $(head -c 200 "$dir/netns.log"))"
  skipped=$((skipped + 2))
fi
if ls "$dir"/hs_err_*.log >/dev/null 2>&1; then
  echo "chaos: JVM crash logs:" >&2
  ls "$dir"/hs_err_*.log >&2
  failed=$((failed + 1))
fi
echo "chaos: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
