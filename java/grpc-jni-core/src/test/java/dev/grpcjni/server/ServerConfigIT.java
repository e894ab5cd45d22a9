// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.CallOptions;
import dev.grpcjni.ServerCallContext;
import dev.grpcjni.Status;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ConnectivityState;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server's typed connection options: each refused when out of range, with a message naming it,
 * and shown to take effect on real connections.
 */
class ServerConfigIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  /** Calls to Held wait here until the test completes their futures. */
  final BlockingQueue<CompletableFuture<byte[]>> held = new LinkedBlockingQueue<>();

  ServerBuilder builder() {
    return ServerBuilder.forAddress("127.0.0.1:0")
        .addService(
            EchoService.service(
                "Held",
                (byte[] req, ServerCallContext ctx) -> {
                  CompletableFuture<byte[]> f = new CompletableFuture<>();
                  held.add(f);
                  return f;
                }));
  }

  ManagedChannel channel(Server server) {
    return grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
  }

  static CompletableFuture<byte[]> callHeld(ManagedChannel channel, Duration deadline) {
    return ClientCalls.unaryCall(
        channel,
        EchoService.method("Held"),
        new byte[] {1},
        CallOptions.DEFAULT.withDeadlineAfter(deadline));
  }

  static Status.Code codeOf(CompletableFuture<?> f) throws Exception {
    try {
      f.get(20, TimeUnit.SECONDS);
      return Status.Code.OK;
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause()).code();
    }
  }

  @Test
  void outOfRangeOptionsAreRefusedByName() {
    ServerBuilder b = builder();
    assertThatThrownBy(() -> b.maxConnectionIdle(Duration.ZERO))
        .hasMessageContaining("maxConnectionIdle");
    assertThatThrownBy(() -> b.maxConnectionAge(Duration.ofSeconds(-1)))
        .hasMessageContaining("maxConnectionAge");
    assertThatThrownBy(() -> b.maxConnectionAgeGrace(Duration.ofNanos(10)))
        .hasMessageContaining("maxConnectionAgeGrace");
    assertThatThrownBy(() -> b.handshakeTimeout(Duration.ZERO))
        .hasMessageContaining("handshakeTimeout");
    assertThatThrownBy(() -> b.permitKeepAliveTime(Duration.ZERO))
        .hasMessageContaining("permitKeepAliveTime");
    assertThatThrownBy(() -> b.keepAliveTime(Duration.ZERO)).hasMessageContaining("keepAliveTime");
    assertThatThrownBy(() -> b.keepAliveTimeout(Duration.ZERO))
        .hasMessageContaining("keepAliveTimeout");
    assertThatThrownBy(() -> b.maxPingStrikes(-1)).hasMessageContaining("maxPingStrikes");
    assertThatThrownBy(() -> b.maxConcurrentCallsPerConnection(0))
        .hasMessageContaining("maxConcurrentCallsPerConnection");
    assertThatThrownBy(() -> b.maxConnectionIdle(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void anIdleConnectionIsClosed() throws Exception {
    Server server =
        grpc.register(builder().maxConnectionIdle(Duration.ofMillis(300)).build().start());
    ManagedChannel channel = channel(server);
    assertThat(channel.awaitReady(Duration.ofSeconds(10))).isTrue();
    long start = System.nanoTime();
    assertThat(channel.whenStateChanged(ConnectivityState.READY).get(10, TimeUnit.SECONDS))
        .isEqualTo(ConnectivityState.IDLE);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void anOldConnectionIsClosedAndItsCallsEndAfterTheGrace() throws Exception {
    Server server =
        grpc.register(
            builder()
                .maxConnectionAge(Duration.ofMillis(300))
                .maxConnectionAgeGrace(Duration.ofMillis(300))
                .build()
                .start());
    ManagedChannel channel = channel(server);
    long start = System.nanoTime();
    CompletableFuture<byte[]> call = callHeld(channel, Duration.ofSeconds(20));
    assertThat(held.poll(10, TimeUnit.SECONDS)).isNotNull();
    // Never answered: the connection is torn down under it at age + grace, not at the deadline.
    assertThat(codeOf(call)).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    // The channel reconnects for the next call.
    assertThat(
            ClientCalls.blockingUnaryCall(
                channel, EchoService.ECHO, new byte[] {2}, CallOptions.DEFAULT))
        .containsExactly(2);
  }

  @Test
  void aConnectionRunsAtMostTheAllowedCallsAtOnce() throws Exception {
    Server server = grpc.register(builder().maxConcurrentCallsPerConnection(1).build().start());
    ManagedChannel channel = channel(server);
    CompletableFuture<byte[]> first = callHeld(channel, Duration.ofSeconds(20));
    CompletableFuture<byte[]> firstHandler = held.poll(10, TimeUnit.SECONDS);
    assertThat(firstHandler).isNotNull();
    CompletableFuture<byte[]> second = callHeld(channel, Duration.ofSeconds(20));
    // The second waits in the client for the stream the first holds.
    assertThat(held.poll(500, TimeUnit.MILLISECONDS)).isNull();
    firstHandler.complete(new byte[] {1});
    assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(1);
    CompletableFuture<byte[]> secondHandler = held.poll(10, TimeUnit.SECONDS);
    assertThat(secondHandler).isNotNull();
    secondHandler.complete(new byte[] {2});
    assertThat(second.get(10, TimeUnit.SECONDS)).containsExactly(2);
  }

  @Test
  void aConnectionThatNeverHandshakesIsDropped() throws Exception {
    Server server =
        grpc.register(builder().handshakeTimeout(Duration.ofMillis(300)).build().start());
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      long start = System.nanoTime();
      InputStream in = s.getInputStream();
      // The server's SETTINGS may come first; then the connection closes.
      while (in.read() >= 0) {
        // drain
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void keepAlivePingsAreEnforced() throws Exception {
    // A client pinging every 100 ms with no calls: by default that is abuse (pings without calls
    // are not permitted, and more often than every 5 minutes strike), and the server closes the
    // connection; permitted, the connection stays.
    Server strict = grpc.register(builder().build().start());
    Server lenient =
        grpc.register(
            builder()
                .permitKeepAliveTime(Duration.ofMillis(50))
                .permitKeepAliveWithoutCalls(true)
                .build()
                .start());
    ManagedChannel toStrict = pinging(strict);
    ManagedChannel toLenient = pinging(lenient);
    assertThat(toStrict.awaitReady(Duration.ofSeconds(10))).isTrue();
    assertThat(toLenient.awaitReady(Duration.ofSeconds(10))).isTrue();
    CompletableFuture<ConnectivityState> strictChange =
        toStrict.whenStateChanged(ConnectivityState.READY);
    CompletableFuture<ConnectivityState> lenientChange =
        toLenient.whenStateChanged(ConnectivityState.READY);
    assertThat(strictChange.get(10, TimeUnit.SECONDS)).isNotEqualTo(ConnectivityState.READY);
    Thread.sleep(500);
    assertThat(lenientChange).isNotDone();
    assertThat(toLenient.getState(false)).isEqualTo(ConnectivityState.READY);
  }

  ManagedChannel pinging(Server server) {
    return grpc.register(
        ChannelBuilder.forTarget("127.0.0.1:" + server.port())
            .keepAliveTime(Duration.ofMillis(100))
            .keepAliveWithoutCalls(true)
            .channelArg("grpc.http2.max_pings_without_data", 0)
            .build());
  }
}
