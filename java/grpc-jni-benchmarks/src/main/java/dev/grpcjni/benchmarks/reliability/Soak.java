// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.reliability;

import dev.grpcjni.CallOptions;
import dev.grpcjni.Environment;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ClientCallStreamObserver;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.StreamObserver;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A soak in one JVM: unary calls, then server-, client- and bidirectional streams, through one
 * channel to a server on 127.0.0.1:0, pipelined. After warm-up and after every tenth of each phase
 * it collects the garbage and reads heap after GC, RSS and the shim's live-object counters; it
 * fails (exit 1) if any call failed, if heap or RSS grew past their bounds between the first and
 * the last checkpoint, or if native objects were left between calls.
 *
 * <pre>
 * Soak [--unary=1000000] [--streams=100000] [--messages=10] [--heap_mb=16] [--rss_mb=64]
 * </pre>
 */
public final class Soak {
  private static final int IN_FLIGHT = 64;

  private final ManagedChannel channel;
  private final Semaphore window = new Semaphore(IN_FLIGHT);
  private final AtomicLong failures = new AtomicLong();
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
  private final List<long[]> rows = new ArrayList<>();
  private final long[] idleNative;

  private Soak(ManagedChannel channel, long[] idleNative) {
    this.channel = channel;
    this.idleNative = idleNative;
  }

  public static void main(String[] args) throws Exception {
    long unary = 1_000_000;
    long streams = 100_000;
    int messages = 10;
    long heapBound = 16;
    long rssBound = 64;
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      switch (kv[0]) {
        case "unary" -> unary = Long.parseLong(kv[1]);
        case "streams" -> streams = Long.parseLong(kv[1]);
        case "messages" -> messages = Integer.parseInt(kv[1]);
        case "heap_mb" -> heapBound = Long.parseLong(kv[1]);
        case "rss_mb" -> rssBound = Long.parseLong(kv[1]);
        default -> {
          System.err.println(
              "Usage: Soak [--unary=N] [--streams=N] [--messages=N] [--heap_mb=N] [--rss_mb=N]");
          System.exit(2);
        }
      }
    }
    int exit;
    try (Environment env = Environment.builder().build()) {
      Server server =
          ServerBuilder.forAddress("127.0.0.1:0")
              .environment(env)
              .addService(ReliabilityService.definition())
              .build()
              .start();
      ManagedChannel channel =
          ChannelBuilder.forTarget("127.0.0.1:" + server.port()).environment(env).build();
      Soak soak = new Soak(channel, null);
      soak.unary(Math.max(1000, unary / 10)); // warm-up
      soak.streams(Math.max(100, streams / 10), messages);
      long[] idle = soak.idleNativeCounters();
      exit = new Soak(channel, idle).run(unary, streams, messages, heapBound, rssBound);
      channel.close();
      server.close();
    }
    System.exit(exit);
  }

  private int run(long unary, long streams, int messages, long heapBound, long rssBound)
      throws Exception {
    System.out.printf(
        "soak: %,d unary calls, %,d streams of each kind (%d messages each), %d in flight%n",
        unary, streams, messages, IN_FLIGHT);
    System.out.println("checkpoint          calls   heap-after-gc MiB   RSS MiB   native left");
    long start = System.nanoTime();
    checkpoint("warm", 0);
    long done = 0;
    for (int tenth = 1; tenth <= 10; tenth++) {
      long n = unary * tenth / 10 - unary * (tenth - 1) / 10;
      unary(n);
      done += n;
      checkpoint("unary " + tenth * 10 + "%", done);
    }
    long unaryNanos = System.nanoTime() - start;
    long streamStart = System.nanoTime();
    for (int tenth = 1; tenth <= 10; tenth++) {
      long n = streams * tenth / 10 - streams * (tenth - 1) / 10;
      streams(n, messages);
      done += 3 * n;
      checkpoint("streams " + tenth * 10 + "%", done);
    }
    long streamNanos = System.nanoTime() - streamStart;
    long[] first = rows.get(0);
    long[] last = rows.get(rows.size() - 1);
    long heapGrowth = (last[1] - first[1]) >> 20;
    long rssGrowth = (last[2] - first[2]) >> 20;
    long leftOver = rows.stream().mapToLong(r -> r[3]).max().orElse(0);
    System.out.printf(
        "soak: unary %.0f calls/s, streams %.0f/s; heap after GC %+d MiB (bound %d), RSS %+d MiB"
            + " (bound %d), native objects left between calls: %d, failed calls: %d%n",
        unary / (unaryNanos / 1e9),
        3 * streams / (streamNanos / 1e9),
        heapGrowth,
        heapBound,
        rssGrowth,
        rssBound,
        leftOver,
        failures.get());
    if (firstFailure.get() != null) {
      firstFailure.get().printStackTrace();
    }
    boolean ok =
        failures.get() == 0 && heapGrowth <= heapBound && rssGrowth <= rssBound && leftOver == 0;
    System.out.println(ok ? "soak: OK" : "soak: FAILED");
    return ok ? 0 : 1;
  }

  private void failed(Throwable t) {
    failures.incrementAndGet();
    firstFailure.compareAndSet(null, t);
  }

  private void unary(long n) throws InterruptedException {
    byte[] request = {1, 2, 3};
    for (long i = 0; i < n; i++) {
      window.acquire();
      ClientCalls.unaryCall(channel, ReliabilityService.ECHO, request)
          .whenComplete(
              (r, t) -> {
                if (t != null) {
                  failed(t);
                } else if (r.length != 3) {
                  failed(new AssertionError("echo of " + r.length + " bytes"));
                }
                window.release();
              });
    }
    window.acquire(IN_FLIGHT);
    window.release(IN_FLIGHT);
  }

  /** {@code n} streams of each kind, {@code messages} messages each way where it streams. */
  private void streams(long n, int messages) throws InterruptedException {
    for (long i = 0; i < n; i++) {
      window.acquire();
      ClientCalls.asyncServerStreamingCall(
          channel,
          ReliabilityService.FAN,
          new byte[] {(byte) messages},
          expecting(messages),
          CallOptions.DEFAULT);
      window.acquire();
      ClientCallStreamObserver<byte[]> count =
          ClientCalls.asyncClientStreamingCall(
              channel, ReliabilityService.COUNT, expecting(1), CallOptions.DEFAULT);
      window.acquire();
      ClientCallStreamObserver<byte[]> hold =
          ClientCalls.asyncBidiStreamingCall(
              channel, ReliabilityService.HOLD, expecting(messages), CallOptions.DEFAULT);
      for (int m = 0; m < messages; m++) {
        count.onNext(new byte[] {(byte) m});
        hold.onNext(new byte[] {(byte) m});
      }
      count.onCompleted();
      hold.onCompleted();
    }
    window.acquire(IN_FLIGHT);
    window.release(IN_FLIGHT);
  }

  /** An observer that releases the window when its stream ends with {@code expected} messages. */
  private StreamObserver<byte[]> expecting(int expected) {
    return new StreamObserver<byte[]>() {
      int received;

      @Override
      public void onNext(byte[] value) {
        received++;
      }

      @Override
      public void onError(Throwable t) {
        failed(t);
        window.release();
      }

      @Override
      public void onCompleted() {
        if (received != expected) {
          failed(new AssertionError(received + " messages, expected " + expected));
        }
        window.release();
      }
    };
  }

  private long[] idleNativeCounters() throws InterruptedException {
    return awaitIdle(liveCounts());
  }

  /** Waits up to 5 s for no call or batch context to be alive; returns the counters. */
  private static long[] awaitIdle(long[] counts) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((counts[GrpcJniLib.GRPCJNI_LIVE_CALLS] != 0
            || counts[GrpcJniLib.GRPCJNI_LIVE_BATCH_CONTEXTS] != 0)
        && System.nanoTime() < end) {
      Thread.sleep(10);
      counts = liveCounts();
    }
    return counts;
  }

  private static long[] liveCounts() {
    long[] counts = new long[GrpcJniLib.GRPCJNI_LIVE_KIND_COUNT];
    for (int k = 0; k < counts.length; k++) {
      counts[k] = GrpcJniLib.grpcjni_live_count(k);
    }
    return counts;
  }

  private void checkpoint(String name, long calls) throws Exception {
    long[] counts = awaitIdle(liveCounts());
    long left = 0;
    for (int k = 0; k < counts.length; k++) {
      left += Math.abs(counts[k] - idleNative[k]);
    }
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long rss = rssBytes();
    rows.add(new long[] {calls, heap, rss, left});
    System.out.printf(
        "%-16s %,10d   %17.1f   %7.1f   %s%n",
        name, calls, heap / 1048576.0, rss / 1048576.0, left == 0 ? "0" : Arrays.toString(counts));
  }

  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return 0;
  }
}
