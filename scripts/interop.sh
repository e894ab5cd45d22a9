#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# gRPC's interop cases (grpc/grpc doc/interop-test-descriptions.md) between grpc-jni and grpc-java,
# over plaintext and over TLS with gRPC's test certificates:
#   (a) grpc-java's TestServiceClient -> grpc-jni's TestServiceServer
#   (b) grpc-jni's TestServiceClient  -> grpc-java's TestServiceServer
#   (c) grpc-jni's TestServiceClient  -> grpc-jni's TestServiceServer
# and grpc-java's own programs, unmodified, on grpc-jni's transport (java/grpc-jni-grpcjava on their
# class path; "grpc-java/jni" below), each confirmed by the provider's log line:
#   (d) grpc-java's TestServiceClient (Netty) -> grpc-java's TestServiceServer on grpc-jni
#   (e) grpc-jni's TestServiceClient          -> grpc-java's TestServiceServer on grpc-jni
#   (f) grpc-java's StressTestClient on grpc-jni -> grpc-java's TestServiceServer (Netty)
#   (g) grpc-java's StressTestClient on grpc-jni -> grpc-jni's TestServiceServer
# and, plaintext, (d) and (g) again with the oldest grpc-java the provider supports.
# grpc-java's TestServiceClient builds its channel with NettyChannelBuilder, which no provider can
# take; its StressTestClient builds it with Grpc.newChannelBuilderForAddress and runs the same
# AbstractInteropTest cases, those of STRESS_CASES (one JVM per case, 1 s of calls each). Cases
# that fail on Netty for reasons of grpc-java's own programs are not run (see below).
# grpc-java's interop jars (io.grpc:grpc-interop-testing, version in scripts/interop/pom.xml) come
# from Maven Central. Prints one line per (transport, direction, case) and "N passed, N failed";
# exits non-zero if any case failed. Builds grpc-jni's interop module first if it is not built.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/lib.sh

CASES=(empty_unary large_unary client_streaming server_streaming ping_pong empty_stream
  cancel_after_begin cancel_after_first_response timeout_on_sleeping_server custom_metadata
  status_code_and_message special_status_message unimplemented_method unimplemented_service
  client_compressed_unary server_compressed_unary client_compressed_streaming
  server_compressed_streaming)
# The cases grpc-java's StressTestClient runs (its runTestCase) and passes: it turns its client
# stream tracers off, and then large_unary, unimplemented_method and cancel_after_first_response,
# which assert them, fail on every transport (Netty's too; AbstractInteropTest's runs in
# java/grpc-jni-grpcjava cover them).
STRESS_CASES=(empty_unary client_streaming server_streaming ping_pong empty_stream
  unimplemented_service cancel_after_begin timeout_on_sleeping_server)
# Against Netty's server, a case can meet a C core defect: a thousand calls a second cancelled as
# they start (cancel_after_begin), or ended by a 1 ms deadline (timeout_on_sleeping_server), make
# libgrpc 1.51 now and then send RST_STREAM for a stream whose HEADERS it never wrote
# (grpc/grpc#19655, #38758, fixed in later C cores); Netty answers with a connection error and the
# calls in flight on it fail UNAVAILABLE. run_stress runs such a case again, up to twice
# (grpc-jni's server, on the same C core, takes the reset).
# grpc-java's TestServiceClient probes client compression, which grpc-java's own server cannot
# answer on any transport ("The Java API does not support inspecting a message's compression
# level"): against grpc-java's server on grpc-jni these two are not run.
GRPC_JAVA_SERVER_CASES=()
for c in "${CASES[@]}"; do
  case $c in client_compressed_unary | client_compressed_streaming) ;; *) GRPC_JAVA_SERVER_CASES+=("$c") ;; esac
done

if [ ! -d java/grpc-jni-interop/target/lib ] || [ ! -d java/grpc-jni-grpcjava/target/lib ]; then
  mvn -B -q package -DskipTests \
    -pl java/grpc-jni-compiler,java/grpc-jni-interop,java/grpc-jni-grpcjava -am 2>&1 | strip
fi
mvn -B -q -f scripts/interop/pom.xml package 2>&1 | strip
[ -d scripts/interop/target/lib ] || { echo "interop: could not fetch grpc-java's interop jars" >&2; exit 1; }
gj_cp="$root/scripts/interop/target/lib/*"
# grpc-java's programs start in about a second; C1 and the serial GC shave a little off each.
gj_java=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$gj_cp")

work=$(mktemp -d)
trap 'stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# The same programs with grpc-jni's providers on the class path, and their FINE log lines on.
provider_jar=$(ls java/grpc-jni-grpcjava/target/grpc-jni-grpcjava-*.jar 2>/dev/null | head -n 1)
[ -n "$provider_jar" ] || { echo "interop: java/grpc-jni-grpcjava is not built" >&2; exit 1; }
cat >"$work/logging.properties" <<'EOF2'
handlers=java.util.logging.ConsoleHandler
.level=INFO
java.util.logging.ConsoleHandler.level=FINE
dev.grpcjni.grpcjava.level=FINE
EOF2
gjni_java=(java --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
  -Djava.util.logging.config.file="$work/logging.properties"
  -cp "$gj_cp:$root/$provider_jar:$root/java/grpc-jni-grpcjava/target/lib/*")

passed=0
failed=0
# slug DIRECTION: the direction as a file name ("grpc-java/jni -> grpc-jni": grpc-java_jni-grpc-jni).
slug() { local s=${1// /}; s=${s//\//_}; echo "${s//>/}"; }
# report STATUS TRANSPORT DIRECTION CASE [NOTE] [LOG]
report() {
  printf '%-4s  %-9s  %-27s  %s%s\n' "$1" "$2" "$3" "$4" "${5:+  ($5)}"
  if [ "$1" = PASS ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    [ -n "${6:-}" ] && [ -f "$6" ] && tail -n 15 "$6" | sed 's/^/        | /'
  fi
}

# start_ours TLS: grpc-jni's server on a free port; sets started_port. (The start functions run
# in this shell, not in $(...), so that the EXIT trap knows their pids.)
start_ours() {
  local log=$work/ours-$1.log
  scripts/interop-server.sh 0 --use_tls="$1" >"$log" 2>&1 &
  pids+=($!)
  wait_for "$log" $! 's/^Server started on port \([0-9]*\).*/\1/p' ||
    { echo "interop: grpc-jni's server did not start" >&2; cat "$log" >&2; return 1; }
  started_port=$found
}

tls_flags() {
  if [ "$1" = true ]; then
    echo "--use_tls=true --use_test_ca=true --server_host_override=foo.test.google.fr"
  else
    echo "--use_tls=false"
  fi
}

# run_ours TRANSPORT DIRECTION PORT TLS CASE...: grpc-jni's client, all cases in one JVM.
# A case may be NAME or NAME=VARIANT (run VARIANT, report NAME with a note).
run_ours() {
  local transport=$1 direction=$2 port=$3 tls=$4
  shift 4
  local names=() run=()
  for c in "$@"; do
    names+=("${c%%=*}")
    run+=("${c#*=}")
  done
  local log=$work/client-$transport-$(slug "$direction").log
  local list
  list=$(IFS=,; echo "${run[*]}")
  # shellcheck disable=SC2046
  run_bg "$log" 600 scripts/interop-client.sh --server_host=127.0.0.1 --server_port="$port" \
    $(tls_flags "$tls") --test_case="$list"
  for i in "${!names[@]}"; do
    local line note=""
    line=$(grep -E "^(PASS|FAIL) ${run[$i]}( |:)" "$log" | head -n 1)
    case ${run[$i]} in
      *_noprobe) note="probe skipped: grpc-java's server does not implement expect_compressed" ;;
      *_noflags) note="flags not checked: grpc-java's server ignores per-message compression on streams" ;;
    esac
    if [[ $line == PASS* ]]; then
      report PASS "$transport" "$direction" "${names[$i]}" "$note"
    else
      report FAIL "$transport" "$direction" "${names[$i]}" "${line#FAIL ${run[$i]}: }" "$log"
    fi
  done
}

# run_grpc_java TRANSPORT DIRECTION PORT TLS CASE...: grpc-java's client, one JVM per case (its
# main runs one).
run_grpc_java() {
  local transport=$1 direction=$2 port=$3 tls=$4
  shift 4
  for c in "$@"; do
    local log=$work/grpc-java-client-$transport-$(slug "$direction")-$c.log
    # shellcheck disable=SC2046
    if run_bg "$log" 120 "${gj_java[@]}" io.grpc.testing.integration.TestServiceClient \
      --server_host=127.0.0.1 --server_port="$port" $(tls_flags "$tls") --test_case="$c"; then
      report PASS "$transport" "$direction" "$c"
    else
      report FAIL "$transport" "$direction" "$c" "exit $?" "$log"
    fi
  done
}

# run_stress TRANSPORT DIRECTION PORT TLS SERVER_LOG CASE...: grpc-java's StressTestClient on
# grpc-jni, one JVM per case. It logs "Total calls made" when every call of the case passed, and a
# warning when one failed; the provider's line shows that grpc-jni carried its channel.
# SERVER_LOG is Netty's server's log ("-" for grpc-jni's server): a case whose only failures are
# UNAVAILABLE while Netty closed a connection for a RST_STREAM on a stream it never saw (the C core's
# grpc/grpc#19655, above; timeout_on_sleeping_server met it in 1 of 15 runs here, both cases now
# and then in one run of interop.sh) runs again, up to twice, and passes only if a run of it passes
# whole. The report says so.
run_stress() {
  local transport=$1 direction=$2 port=$3 tls=$4 server_log=$5
  shift 5
  for c in "$@"; do
    local log=$work/stress-$transport-$(slug "$direction")-$c.log why= note= runs=0
    while :; do
      local resets_before=0
      [ "$server_log" = - ] || resets_before=$(idle_resets "$server_log")
      why=
      # shellcheck disable=SC2046
      run_bg "$log" 120 "${gjni_java[@]}" io.grpc.testing.integration.StressTestClient \
        --server_addresses=127.0.0.1:"$port" $(tls_flags "$tls") \
        --test_cases="$c:1" --test_duration_secs=1 --metrics_port=0 || why="exit $?"
      if [ -z "$why" ]; then
        if ! grep -q 'grpc-jni: channel to 127.0.0.1' "$log"; then
          why="the channel was not grpc-jni's"
        elif grep -q 'WARNING\|SEVERE' "$log" || ! grep -q 'Total calls made: [1-9]' "$log"; then
          why="a call failed"
        fi
      fi
      runs=$((runs + 1))
      if [ "$why" = "a call failed" ] && [ $runs -lt 3 ] && [ "$server_log" != - ] &&
        [ "$(failed_codes "$log")" = UNAVAILABLE ]; then
        sleep 1 # Netty logs the closed connection as it goes, maybe after the client exited
        if [ "$(idle_resets "$server_log")" -gt "$resets_before" ]; then
          mv "$log" "$log.run$runs" # kept for a look
          note="run $((runs + 1)) times: Netty closed a connection for the C core's RST_STREAM on an idle stream"
          continue
        fi
      fi
      break
    done
    if [ -z "$why" ]; then
      report PASS "$transport" "$direction" "$c" "$note"
    else
      report FAIL "$transport" "$direction" "$c" "$why${note:+; $note}" "$log"
    fi
  done
}

# idle_resets LOG: how many connections Netty's server closed for a RST_STREAM on a stream that
# never existed.
idle_resets() {
  local n
  n=$(grep -c 'does not exist for inbound frame RST_STREAM' "$1" 2>/dev/null)
  echo "${n:-0}"
}

# failed_codes LOG: the status codes the calls in a StressTestClient log failed with, one per line.
failed_codes() {
  grep -oE '(Status\{code=|StatusRuntimeException: )[A-Z_]+' "$1" | sed -E 's/.*[= ]//' | sort -u
}

echo "interop: grpc-jni against grpc-java $(sed -n 's:.*<grpc-java.version>\(.*\)</grpc-java.version>.*:\1:p' scripts/interop/pom.xml | head -n 1)"
for tls in false true; do
  transport=plaintext
  [ $tls = true ] && transport=tls
  start_ours $tls || exit 1
  ours=$started_port
  start_grpc_java "$work/grpc-java-$tls.log" 's/^Server started on port.*/x/p' \
    "${gj_java[@]}" io.grpc.testing.integration.TestServiceServer --port=PORT --use_tls=$tls ||
    { echo "interop: grpc-java's server did not start" >&2; exit 1; }
  theirs=$started_port
  start_grpc_java "$work/grpc-java-jni-$tls.log" 's/^Server started on port.*/x/p' \
    "${gjni_java[@]}" io.grpc.testing.integration.TestServiceServer --port=PORT --use_tls=$tls ||
    { echo "interop: grpc-java's server on grpc-jni did not start" >&2; exit 1; }
  theirs_on_ours=$started_port
  grep -q 'grpc-jni: server on ports' "$work/grpc-java-jni-$tls.log" ||
    { echo "interop: grpc-java's server did not run on grpc-jni" >&2; cat "$work/grpc-java-jni-$tls.log" >&2; exit 1; }

  run_grpc_java $transport "grpc-java -> grpc-jni" "$ours" $tls "${CASES[@]}"

  against_grpc_java=()
  for c in "${CASES[@]}"; do
    case $c in
      client_compressed_unary | client_compressed_streaming) against_grpc_java+=("$c=${c}_noprobe") ;;
      server_compressed_streaming) against_grpc_java+=("$c=${c}_noflags") ;;
      *) against_grpc_java+=("$c") ;;
    esac
  done
  run_ours $transport "grpc-jni -> grpc-java" "$theirs" $tls "${against_grpc_java[@]}"

  run_ours $transport "grpc-jni -> grpc-jni" "$ours" $tls "${CASES[@]}"

  run_grpc_java $transport "grpc-java -> grpc-java/jni" "$theirs_on_ours" $tls "${GRPC_JAVA_SERVER_CASES[@]}"
  run_ours $transport "grpc-jni -> grpc-java/jni" "$theirs_on_ours" $tls "${against_grpc_java[@]}"
  run_stress $transport "grpc-java/jni -> grpc-java" "$theirs" $tls "$work/grpc-java-$tls.log" \
    "${STRESS_CASES[@]}"
  run_stress $transport "grpc-java/jni -> grpc-jni" "$ours" $tls - "${STRESS_CASES[@]}"
  stop_all # this transport's servers
done

# The oldest grpc-java line the provider supports (grpc-java.oldest.version in pom.xml; TiKV's Java
# client pins it), plaintext: its TestServiceServer on grpc-jni under its own Netty client, and its
# StressTestClient on grpc-jni against grpc-jni's server. (OldestGrpcJavaLinkageTest checks every
# grpc-java member the provider names against that version's grpc-api.)
oldest=$(sed -n 's:.*<grpc-java.oldest.version>\(.*\)</grpc-java.oldest.version>.*:\1:p' pom.xml | head -n 1)
oldest_dir=$root/scripts/interop/target/grpc-java-$oldest
mvn -B -q -f scripts/interop/pom.xml package -Dgrpc-java.version="$oldest" \
  -Dinterop.dir="$oldest_dir" 2>&1 | strip
if [ ! -d "$oldest_dir/lib" ]; then
  echo "interop: could not fetch grpc-java $oldest's interop jars" >&2
  failed=$((failed + 1))
else
  gj_java=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$oldest_dir/lib/*")
  gjni_java=(java --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
    -Djava.util.logging.config.file="$work/logging.properties"
    -cp "$oldest_dir/lib/*:$root/$provider_jar:$root/java/grpc-jni-grpcjava/target/lib/*")
  start_ours false || exit 1
  ours=$started_port
  start_grpc_java "$work/grpc-java-$oldest-jni.log" 's/^Server started on port.*/x/p' \
    "${gjni_java[@]}" io.grpc.testing.integration.TestServiceServer --port=PORT --use_tls=false ||
    { echo "interop: grpc-java $oldest's server on grpc-jni did not start" >&2; exit 1; }
  theirs_on_ours=$started_port
  grep -q 'grpc-jni: server on ports' "$work/grpc-java-$oldest-jni.log" ||
    { echo "interop: grpc-java $oldest's server did not run on grpc-jni" >&2; exit 1; }
  run_grpc_java plaintext "$oldest -> $oldest/jni" "$theirs_on_ours" false "${GRPC_JAVA_SERVER_CASES[@]}"
  run_stress plaintext "$oldest/jni -> grpc-jni" "$ours" false - "${STRESS_CASES[@]}"
  stop_all
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
