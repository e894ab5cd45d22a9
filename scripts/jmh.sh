#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs grpc-jni's JMH microbenchmarks (java/grpc-jni-jmh) from target/benchmarks.jar, building it
# first if it is missing (rebuild after changing the code: mvn -B -q package -DskipTests -pl
# java/grpc-jni-jmh -am). Arguments go to JMH (-h lists them, -l the benchmarks) and replace the
# defaults, which suit a 2-core machine: 1 fork, 3 x 2 s warmup, 5 x 2 s measurement, -prof gc.
#   scripts/jmh.sh                                     # everything, about 6 minutes
#   scripts/jmh.sh UnaryRoundTrip -f 1 -prof gc        # one class (a regex), JMH's iteration defaults
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/java/grpc-jni-jmh/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q package -DskipTests -pl java/grpc-jni-compiler,java/grpc-jni-jmh -am)
fi
[ $# -gt 0 ] || set -- -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc
# JMH passes this JVM's options on to the forked benchmark JVMs.
exec java --enable-native-access=ALL-UNNAMED ${GRPCJNI_JMH_JAVA_OPTS:-} -jar "$jar" "$@"
