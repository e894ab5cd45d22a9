// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.CallOptions;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import dev.grpcjni.testing.LiveObjects;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A channel's connectivity: its states through a connection, a lost server and a restarted one;
 * notifications (callback and future) and where they run; eager connection; waits with a timeout;
 * and that watches neither hold a channel open nor leak.
 */
class ConnectivityIT {
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  Server server(int port) throws Exception {
    return grpc.register(
        ServerBuilder.forAddress("127.0.0.1:" + port)
            .addService(EchoService.service(null, null))
            .build()
            .start());
  }

  ManagedChannel channel(int port) {
    return grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + port).build());
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Follows the state from {@code from} until {@code until}, recording each change. */
  static List<ConnectivityState> follow(
      ManagedChannel channel, ConnectivityState from, ConnectivityState until) throws Exception {
    List<ConnectivityState> seen = new ArrayList<>();
    ConnectivityState s = from;
    while (s != until && seen.size() < 20) {
      s = channel.whenStateChanged(s).get(10, TimeUnit.SECONDS);
      seen.add(s);
    }
    return seen;
  }

  @Test
  void idleConnectingReadyWithoutACall() throws Exception {
    Server server = server(0);
    ManagedChannel channel = channel(server.port());
    assertThat(channel.getState(false)).isEqualTo(ConnectivityState.IDLE);
    CompletableFuture<List<ConnectivityState>> seen =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return follow(channel, ConnectivityState.IDLE, ConnectivityState.READY);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(50); // let the first watch be posted before the state can change
    assertThat(channel.getState(true)).isIn(ConnectivityState.IDLE, ConnectivityState.CONNECTING);
    assertThat(seen.get(10, TimeUnit.SECONDS))
        .startsWith(ConnectivityState.CONNECTING)
        .endsWith(ConnectivityState.READY);
    assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
    // Connected before the first call: the call uses the connection.
    assertThat(
            ClientCalls.blockingUnaryCall(
                channel, EchoService.ECHO, new byte[] {7}, CallOptions.DEFAULT))
        .containsExactly(7);
  }

  @Test
  void lostServerThenTransientFailureThenReadyAgainOnTheSameChannel() throws Exception {
    int port = freePort();
    Server server = server(port);
    ManagedChannel channel = channel(port);
    assertThat(channel.awaitReady(TEN_SECONDS)).isTrue();

    server.shutdownNow();
    assertThat(server.awaitTermination(TEN_SECONDS)).isTrue();
    // The connection is gone: the channel leaves READY (to IDLE, as grpc-java's does) ...
    assertThat(channel.whenStateChanged(ConnectivityState.READY).get(10, TimeUnit.SECONDS))
        .isIn(
            ConnectivityState.IDLE,
            ConnectivityState.CONNECTING,
            ConnectivityState.TRANSIENT_FAILURE);
    // ... and asked to connect with nothing listening, it fails.
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    ConnectivityState s = channel.getState(true);
    while (s != ConnectivityState.TRANSIENT_FAILURE && System.nanoTime() < end) {
      s = channel.whenStateChanged(s).get(10, TimeUnit.SECONDS);
      if (s == ConnectivityState.IDLE) {
        s = channel.getState(true);
      }
    }
    assertThat(s).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    assertThat(channel.awaitReady(Duration.ofMillis(200))).isFalse();

    server(port);
    // The next attempt would wait out the C core's backoff (1 s, +-20 %, from the last failure);
    // reset, the channel connects at once.
    channel.resetConnectBackoff();
    assertThat(channel.awaitReady(Duration.ofMillis(500))).isTrue();
    assertThat(
            ClientCalls.blockingUnaryCall(
                channel, EchoService.ECHO, new byte[] {1}, CallOptions.DEFAULT))
        .containsExactly(1);
  }

  @Test
  void notificationsRunOnTheChannelExecutorAndAtOnceForAStaleSource() throws Exception {
    Server server = server(0);
    ManagedChannel channel =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .executor(
                    r -> {
                      Thread t = new Thread(r, "channel-executor");
                      t.start();
                    })
                .build());
    assertThat(channel.awaitReady(TEN_SECONDS)).isTrue();
    CountDownLatch ran = new CountDownLatch(1);
    AtomicReference<String> thread = new AtomicReference<>();
    // The source is not the state: the callback runs at once.
    channel.notifyWhenStateChanged(
        ConnectivityState.IDLE,
        () -> {
          thread.set(Thread.currentThread().getName());
          ran.countDown();
        });
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(thread.get()).isEqualTo("channel-executor");
  }

  @Test
  void awaitReadyTimesOutWhereNothingListens() throws Exception {
    ManagedChannel channel = channel(freePort());
    long start = System.nanoTime();
    assertThat(channel.awaitReady(Duration.ofMillis(300))).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void watchesDoNotHoldTheChannelOpenAndEndWithShutdown() throws Exception {
    long[] before = LiveObjects.snapshot();
    ManagedChannel channel = ChannelBuilder.forTarget("127.0.0.1:" + freePort()).build();
    // Idle forever unless asked: these watches would never fire on their own.
    CompletableFuture<ConnectivityState> a = channel.whenStateChanged(ConnectivityState.IDLE);
    CountDownLatch b = new CountDownLatch(1);
    channel.notifyWhenStateChanged(ConnectivityState.IDLE, b::countDown);
    // Not SHUTDOWN yet: that differs from IDLE, so this one completes at once.
    assertThat(channel.whenStateChanged(ConnectivityState.SHUTDOWN).get(10, TimeUnit.SECONDS))
        .isEqualTo(ConnectivityState.IDLE);
    assertThat(a).isNotDone();

    channel.shutdown(); // graceful: no calls in flight, so it terminates at once
    assertThat(channel.awaitTermination(TEN_SECONDS)).isTrue();
    assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(ConnectivityState.SHUTDOWN);
    assertThat(b.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(channel.getState(true)).isEqualTo(ConnectivityState.SHUTDOWN);
    // On a terminated channel: at once for another source, never for SHUTDOWN.
    assertThat(channel.whenStateChanged(ConnectivityState.READY).get(10, TimeUnit.SECONDS))
        .isEqualTo(ConnectivityState.SHUTDOWN);
    assertThat(channel.awaitReady(TEN_SECONDS)).isFalse();
    CompletableFuture<ConnectivityState> never =
        channel.whenStateChanged(ConnectivityState.SHUTDOWN);
    Thread.sleep(100);
    assertThat(never).isNotDone();
    assertThat(LiveObjects.awaitEqual(before, 10_000)).isEqualTo(before);
  }

  @Test
  void manyWatchesOnABusyChannelLeakNothing() throws Exception {
    long[] before = LiveObjects.snapshot();
    Server server = server(0);
    ManagedChannel channel = ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build();
    assertThat(channel.awaitReady(TEN_SECONDS)).isTrue();
    List<CompletableFuture<ConnectivityState>> pending = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      pending.add(channel.whenStateChanged(ConnectivityState.READY));
      assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
    }
    channel.shutdownNow();
    assertThat(channel.awaitTermination(TEN_SECONDS)).isTrue();
    for (CompletableFuture<ConnectivityState> f : pending) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(ConnectivityState.SHUTDOWN);
    }
    server.close();
    assertThat(LiveObjects.awaitEqual(before, 10_000)).isEqualTo(before);
  }

  @Test
  void shutdownIsReportedAtOnceEvenWithCallsInFlight() throws Exception {
    CompletableFuture<byte[]> held = new CompletableFuture<>();
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(EchoService.service("Held", (req, ctx) -> held))
                .build()
                .start());
    ManagedChannel channel = channel(server.port());
    CompletableFuture<byte[]> call =
        ClientCalls.unaryCall(
            channel, EchoService.method("Held"), new byte[] {3}, CallOptions.DEFAULT);
    assertThat(channel.awaitReady(TEN_SECONDS)).isTrue();
    CompletableFuture<ConnectivityState> change = channel.whenStateChanged(ConnectivityState.READY);
    channel.shutdown();
    // As grpc-java: SHUTDOWN as soon as shutdown() returns, while the call still runs.
    assertThat(channel.getState(false)).isEqualTo(ConnectivityState.SHUTDOWN);
    assertThat(change.get(10, TimeUnit.SECONDS)).isEqualTo(ConnectivityState.SHUTDOWN);
    assertThat(call).isNotDone();
    held.complete(new byte[] {3});
    assertThat(call.get(10, TimeUnit.SECONDS)).containsExactly(3);
    assertThat(channel.awaitTermination(TEN_SECONDS)).isTrue();
  }

  @Test
  void aTargetTheCoreCannotUseFailsTheBuild() {
    // libgrpc would make a "lame" channel of each: TRANSIENT_FAILURE for good, watches that never
    // end. The build refuses it instead.
    for (String target : List.of("dns:///", "ipv4:not-an-address:80", "dns://8.8.8.8/")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> ChannelBuilder.forTarget(target).build())
          .as(target)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(target);
    }
  }
}
