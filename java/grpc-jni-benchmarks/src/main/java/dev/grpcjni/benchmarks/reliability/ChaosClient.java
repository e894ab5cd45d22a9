// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.reliability;

import dev.grpcjni.CallOptions;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The client side of scripts/chaos.sh: one channel to {@code --target} for {@code --seconds},
 * making unary calls from four threads (deadline {@code --deadline_ms}, 50 ms apart) and, with
 * {@code --hold}, keeping one bidirectional stream open that nobody writes to (re-opened 200 ms
 * after it ends). Keepalive pings every {@code --keepalive_ms} (0: off), with as long a timeout.
 * Reconnect backoff starts at 200 ms and stays under 1 s, so recovery is quick to observe.
 *
 * <p>Prints one line per event, for the script to read: {@code call <epoch ms> <status> <ms>},
 * {@code hold <epoch ms> <status> <ms open>}, and {@code done} at the end.
 */
public final class ChaosClient {
  private ChaosClient() {}

  public static void main(String[] args) throws Exception {
    String target = null;
    long seconds = 10;
    long deadlineMs = 1000;
    long keepaliveMs = 0;
    boolean hold = false;
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      switch (kv[0]) {
        case "target" -> target = kv[1];
        case "seconds" -> seconds = Long.parseLong(kv[1]);
        case "deadline_ms" -> deadlineMs = Long.parseLong(kv[1]);
        case "keepalive_ms" -> keepaliveMs = Long.parseLong(kv[1]);
        case "hold" -> hold = true;
        default -> {
          System.err.println(
              "Usage: ChaosClient --target=HOST:PORT [--seconds=10] [--deadline_ms=1000]"
                  + " [--keepalive_ms=0] [--hold]");
          System.exit(2);
        }
      }
    }
    ChannelBuilder b =
        ChannelBuilder.forTarget(target)
            .channelArg("grpc.initial_reconnect_backoff_ms", 200)
            .channelArg("grpc.min_reconnect_backoff_ms", 200)
            .channelArg("grpc.max_reconnect_backoff_ms", 1000);
    if (keepaliveMs > 0) {
      b.keepAliveTime(Duration.ofMillis(keepaliveMs))
          .keepAliveTimeout(Duration.ofMillis(keepaliveMs))
          .keepAliveWithoutCalls(true)
          .channelArg("grpc.http2.max_pings_without_data", 0);
    }
    long end = System.currentTimeMillis() + seconds * 1000;
    try (ManagedChannel channel = b.build()) {
      Thread[] callers = new Thread[4];
      for (int i = 0; i < callers.length; i++) {
        long deadline = deadlineMs;
        callers[i] = new Thread(() -> callUntil(channel, end, deadline), "chaos-caller-" + i);
        callers[i].start();
      }
      if (hold) {
        while (System.currentTimeMillis() < end) {
          long opened = System.currentTimeMillis();
          CompletableFuture<Status> closed = new CompletableFuture<>();
          ClientCalls.asyncBidiStreamingCall(
              channel, ReliabilityService.HOLD, closing(closed), CallOptions.DEFAULT);
          Status s;
          try {
            s = closed.get(Math.max(1, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
          } catch (java.util.concurrent.TimeoutException e) {
            break; // still open at the end: nothing happened to it
          }
          long now = System.currentTimeMillis();
          print("hold " + now + " " + s.code() + " " + (now - opened));
          Thread.sleep(200);
        }
      }
      for (Thread t : callers) {
        t.join();
      }
    }
    print("done");
    System.exit(0);
  }

  private static void callUntil(ManagedChannel channel, long end, long deadlineMs) {
    while (System.currentTimeMillis() < end) {
      long start = System.currentTimeMillis();
      Status.Code code = Status.Code.OK;
      try {
        ClientCalls.unaryCall(
                channel,
                ReliabilityService.ECHO,
                new byte[] {1},
                CallOptions.DEFAULT.withDeadlineAfter(Duration.ofMillis(deadlineMs)))
            .get();
      } catch (ExecutionException e) {
        code =
            e.getCause() instanceof StatusException se ? se.status().code() : Status.Code.UNKNOWN;
      } catch (InterruptedException e) {
        return;
      }
      long now = System.currentTimeMillis();
      print("call " + now + " " + code + " " + (now - start));
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static StreamObserver<byte[]> closing(CompletableFuture<Status> closed) {
    return new StreamObserver<byte[]>() {
      @Override
      public void onNext(byte[] value) {}

      @Override
      public void onError(Throwable t) {
        closed.complete(t instanceof StatusException se ? se.status() : Status.UNKNOWN);
      }

      @Override
      public void onCompleted() {
        closed.complete(Status.OK);
      }
    };
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
