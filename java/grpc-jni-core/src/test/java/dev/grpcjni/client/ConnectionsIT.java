// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.CallOptions;
import dev.grpcjni.Channel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How many connections channels make: one each by default (not the C core's shared one), shared
 * when asked, and N for a {@link ChannelPool}, whose calls spread over them.
 */
class ConnectionsIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  /** The client addresses (one per connection) the server saw. */
  final Set<String> peers = ConcurrentHashMap.newKeySet();

  Server server(int port) throws Exception {
    return grpc.register(
        ServerBuilder.forAddress("127.0.0.1:" + port)
            .addService(
                EchoService.service(
                    "Peer",
                    (req, ctx) -> {
                      peers.add(ctx.peer());
                      return CompletableFuture.completedFuture(
                          ctx.peer().getBytes(StandardCharsets.UTF_8));
                    }))
            .build()
            .start());
  }

  static String peer(Channel channel) {
    return new String(
        ClientCalls.blockingUnaryCall(
            channel,
            EchoService.method("Peer"),
            new byte[0],
            CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10))),
        StandardCharsets.UTF_8);
  }

  @Test
  void channelsBuiltAlikeHaveTheirOwnConnectionsUnlessTheyShare() throws Exception {
    Server server = server(0);
    ChannelBuilder b = ChannelBuilder.forTarget("127.0.0.1:" + server.port());
    String first = peer(grpc.register(b.build()));
    String second = peer(grpc.register(b.build()));
    assertThat(first).isNotEqualTo(second);

    ChannelBuilder shared = ChannelBuilder.forTarget("127.0.0.1:" + server.port());
    shared.shareConnections(true);
    String a = peer(grpc.register(shared.build()));
    String c = peer(grpc.register(shared.build()));
    assertThat(a).isEqualTo(c);
  }

  @Test
  void aPoolSpreadsCallsOverItsConnections() throws Exception {
    Server server = server(0);
    ChannelPool pool =
        grpc.register(
            ChannelPool.create(
                ChannelBuilder.forTarget("127.0.0.1:" + server.port()).shareConnections(true), 3));
    assertThat(pool.channels()).hasSize(3);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pool.readyCount() < 3 && System.nanoTime() < end) {
      Thread.sleep(10); // connected eagerly, without a call
    }
    assertThat(pool.readyCount()).isEqualTo(3);
    for (int i = 0; i < 30; i++) {
      peer(pool);
    }
    assertThat(peers).hasSize(3);
    assertThat(pool.authority()).isEqualTo("127.0.0.1:" + server.port());
    pool.shutdown();
    assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(pool.isTerminated()).isTrue();
  }

  @Test
  void aPoolRecoversAfterItsServerRestarts() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Server server = server(port);
    ChannelPool pool =
        grpc.register(
            ChannelPool.create(
                ChannelBuilder.forTarget("127.0.0.1:" + port)
                    .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)),
                2));
    peer(pool);
    server.shutdownNow();
    assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
    server(port);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pool.readyCount() < 2 && System.nanoTime() < end) {
      Thread.sleep(10); // idle channels are asked to reconnect, failed ones retry
    }
    assertThat(pool.readyCount()).isEqualTo(2);
    assertThat(peer(pool)).isNotEmpty();
  }

  @Test
  void aPoolNeedsAPositiveSize() {
    assertThatThrownBy(() -> ChannelPool.create(ChannelBuilder.forTarget("127.0.0.1:1"), 0))
        .hasMessageContaining("ChannelPool size");
  }
}
