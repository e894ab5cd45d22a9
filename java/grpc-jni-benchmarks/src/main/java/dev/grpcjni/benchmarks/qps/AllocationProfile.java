// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.qps;

import dev.grpcjni.Environment;
import dev.grpcjni.interop.Flags;
import dev.grpcjni.interop.Mains;
import dev.grpcjni.server.Server;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Java heap bytes allocated per RPC (unary) or per message (streaming ping-pong), on the client and
 * on the server separately.
 *
 * <pre>
 * Overview:
 *   Server and client run in this JVM, each in its own Environment (own poller threads) with its
 *   own executor threads, over 127.0.0.1. A side's allocation is the sum of
 *   com.sun.management.ThreadMXBean#getThreadAllocatedBytes over its threads across the measured
 *   window (threads that appear in the window count from zero), divided by the RPCs completed in
 *   it. Each scenario runs once to warm up, then once measured.
 * </pre>
 *
 * <p>Usage: {@code AllocationProfile [--duration=3] [--directexecutor]}. Prints one line per
 * scenario: {@code <scenario>: client N B/RPC, server M B/RPC}.
 */
public final class AllocationProfile {
  private static final String USAGE =
      "Usage: AllocationProfile [--duration=3] [--directexecutor]\n"
          + "  Heap bytes allocated per RPC on the client and the server, each.";

  private AllocationProfile() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("duration", "3");
    defaults.put("directexecutor", "false");
    Flags flags =
        Mains.parse(
            args,
            defaults,
            USAGE,
            f -> {
              if (f.getInt("duration") < 1) {
                throw new IllegalArgumentException("--duration must be positive");
              }
              f.getBoolean("directexecutor");
            });
    if (flags == null) {
      return;
    }
    int seconds = flags.getInt("duration");
    boolean direct = flags.getBoolean("directexecutor");
    String mode = direct ? "direct executor" : "fork-join executor";
    for (int payload : new int[] {0, 1024}) {
      for (boolean streaming : new boolean[] {false, true}) {
        String name =
            (streaming ? "streaming" : "unary")
                + ", "
                + (payload == 0 ? "0 B" : "1 KiB")
                + ", "
                + mode;
        System.out.println(name + ": " + measure(streaming, payload, seconds, direct));
      }
    }
    System.exit(0);
  }

  /** One scenario in fresh environments; the result line's tail. */
  static String measure(boolean streaming, int payload, int seconds, boolean direct)
      throws Exception {
    Set<Long> before = threadIds(t -> true);
    try (Environment serverEnv = Environment.builder().completionQueues(1).build()) {
      Set<Long> serverPollers = threadIds(t -> !before.contains(t.getId()));
      Server server =
          AsyncServer.start("127.0.0.1:0", direct, false, false, serverEnv, "alloc-server-");
      Set<Long> withServer = threadIds(t -> true);
      try (Environment clientEnv = Environment.builder().completionQueues(1).build()) {
        Set<Long> clientPollers = threadIds(t -> !withServer.contains(t.getId()));
        Predicate<Thread> serverSide =
            t -> serverPollers.contains(t.getId()) || t.getName().startsWith("alloc-server-");
        Predicate<Thread> clientSide =
            t -> clientPollers.contains(t.getId()) || t.getName().startsWith("alloc-client-");
        AsyncClient.Config config =
            AsyncClient.Config.parse(
                new String[] {
                  "--address=127.0.0.1:" + server.port(),
                  "--channels=1",
                  "--outstanding_rpcs=16",
                  "--client_payload=" + payload,
                  "--server_payload=" + payload,
                  "--streaming_rpcs=" + streaming,
                  "--warmup_duration=0",
                  "--duration=" + seconds,
                  "--directexecutor=" + direct
                });
        long rpcs;
        long serverBytes;
        long clientBytes;
        try (AsyncClient client = new AsyncClient(config, clientEnv, "alloc-client-")) {
          client.run(); // warm-up
          Map<Long, Long> serverStart = allocated(serverSide);
          Map<Long, Long> clientStart = allocated(clientSide);
          rpcs = client.run().histogram().getTotalCount();
          serverBytes = delta(serverStart, allocated(serverSide));
          clientBytes = delta(clientStart, allocated(clientSide));
        }
        String unit = streaming ? "B/message" : "B/RPC";
        return String.format(
            "client %d %s, server %d %s (%d %s measured)",
            clientBytes / rpcs,
            unit,
            serverBytes / rpcs,
            unit,
            rpcs,
            streaming ? "messages" : "RPCs");
      } finally {
        server.shutdownNow().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }

  private static Set<Long> threadIds(Predicate<Thread> filter) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(filter)
        .map(Thread::getId)
        .collect(Collectors.toSet());
  }

  /** Bytes each matching live thread has allocated so far, by thread id. */
  private static Map<Long, Long> allocated(Predicate<Thread> side) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<Long, Long> bytes = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (side.test(t)) {
        long b = mx.getThreadAllocatedBytes(t.getId());
        if (b >= 0) {
          bytes.put(t.getId(), b);
        }
      }
    }
    return bytes;
  }

  private static long delta(Map<Long, Long> start, Map<Long, Long> end) {
    long sum = 0;
    for (Map.Entry<Long, Long> e : end.entrySet()) {
      sum += e.getValue() - start.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }
}
