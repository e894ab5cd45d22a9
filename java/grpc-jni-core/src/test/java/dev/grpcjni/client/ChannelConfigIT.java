// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.CallOptions;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The channel's typed configuration: each option refused when malformed, with a message naming it,
 * and shown to take effect against real servers.
 */
class ChannelConfigIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  static final String ECHO_SERVICE = EchoService.NAME;

  /** A server whose Echo fails with UNAVAILABLE {@code failures} times, then echoes; counted. */
  Server flaky(AtomicInteger attempts, int failures) throws Exception {
    return grpc.register(
        ServerBuilder.forAddress("127.0.0.1:0")
            .addService(
                EchoService.service(
                    "Flaky",
                    (req, ctx) ->
                        attempts.incrementAndGet() <= failures
                            ? CompletableFuture.failedFuture(
                                Status.UNAVAILABLE.withDescription("try again").asException())
                            : CompletableFuture.completedFuture(req)))
            .build()
            .start());
  }

  /** A server counting the Echo calls it serves. */
  Server counting(AtomicInteger served) throws Exception {
    return grpc.register(
        ServerBuilder.forAddress("127.0.0.1:0")
            .addService(
                EchoService.service(
                    "Counted",
                    (req, ctx) -> {
                      served.incrementAndGet();
                      return CompletableFuture.completedFuture(req);
                    }))
            .build()
            .start());
  }

  static byte[] call(ManagedChannel channel, String method) {
    return ClientCalls.blockingUnaryCall(
        channel, EchoService.method(method), new byte[] {1}, CallOptions.DEFAULT);
  }

  static String retryConfig(int maxAttempts) {
    return "{\"methodConfig\": [{\"name\": [{\"service\": \""
        + ECHO_SERVICE
        + "\"}], \"retryPolicy\": {\"maxAttempts\": "
        + maxAttempts
        + ", \"initialBackoff\": \"0.01s\", \"maxBackoff\": \"0.05s\","
        + " \"backoffMultiplier\": 2, \"retryableStatusCodes\": [\"UNAVAILABLE\"]}}]}";
  }

  @Test
  void badConfigurationFailsAtBuildTimeNamingTheOption() {
    ChannelBuilder b = ChannelBuilder.forTarget("127.0.0.1:1");
    assertThatThrownBy(() -> b.defaultServiceConfig("{\"methodConfig\": [}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultServiceConfig")
        .hasMessageContaining("offset 18");
    assertThatThrownBy(() -> b.defaultServiceConfig("[]"))
        .hasMessageContaining("defaultServiceConfig: not a JSON object");
    assertThatThrownBy(() -> b.defaultServiceConfig("{\"methodConfig\": 5}"))
        .hasMessageContaining("defaultServiceConfig: the C core refused it")
        .hasMessageContaining("[field:methodConfig error:is not an array]");
    assertThatThrownBy(
            () ->
                b.defaultServiceConfig(
                    "{\"methodConfig\": [{\"name\": [{}], \"timeout\": \"soon\"}]}"))
        .hasMessageContaining("defaultServiceConfig: the C core refused it")
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> b.channelArg("grpc.service_config", "{"))
        .hasMessageContaining("defaultServiceConfig");
    assertThatThrownBy(() -> b.defaultServiceConfig(Map.of("x", new Object())))
        .hasMessageContaining("defaultServiceConfig: not a JSON value");
    assertThatThrownBy(() -> b.loadBalancingPolicy("round_robbin"))
        .hasMessageContaining("loadBalancingPolicy")
        .hasMessageContaining("round_robbin");
    assertThatThrownBy(() -> b.loadBalancingPolicy("")).hasMessageContaining("loadBalancingPolicy");
    assertThatThrownBy(() -> b.idleTimeout(Duration.ZERO)).hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> b.idleTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> b.keepAliveTime(Duration.ofMillis(-5)))
        .hasMessageContaining("keepAliveTime");
    assertThatThrownBy(() -> b.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("reconnectBackoff: max");
    assertThatThrownBy(() -> b.reconnectBackoff(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("reconnectBackoff initial");
    // Accepted ones build.
    b.defaultServiceConfig(retryConfig(3)).loadBalancingPolicy("round_robin");
    grpc.register(b.build());
  }

  @Test
  void aServiceConfigTimeoutBoundsCallsThatSetNone() throws Exception {
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(EchoService.service("Never", (req, ctx) -> new CompletableFuture<>()))
                .build()
                .start());
    ManagedChannel channel =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .defaultServiceConfig(
                    "{\"methodConfig\": [{\"name\": [{\"service\": \""
                        + ECHO_SERVICE
                        + "\", \"method\": \"Never\"}], \"timeout\": \"0.2s\"}]}")
                .build());
    long start = System.nanoTime();
    StatusException e = catchThrowableOfType(StatusException.class, () -> call(channel, "Never"));
    assertThat(e.status().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    // Other methods are not bound by it.
    assertThat(call(channel, "Echo")).containsExactly(1);
  }

  @Test
  void retryPolicyRetriesAndDisableRetryTurnsItOff() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    Server server = flaky(attempts, 2);
    ManagedChannel retrying =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .defaultServiceConfig(retryConfig(3))
                .build());
    assertThat(call(retrying, "Flaky")).containsExactly(1);
    assertThat(attempts.get()).isEqualTo(3);

    attempts.set(0);
    ManagedChannel notRetrying =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .defaultServiceConfig(retryConfig(3))
                .disableRetry()
                .build());
    assertThat(
            catchThrowableOfType(StatusException.class, () -> call(notRetrying, "Flaky"))
                .status()
                .code())
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(attempts.get()).isEqualTo(1);
  }

  @Test
  void theMapFormIsTheSameConfig() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    Server server = flaky(attempts, 1);
    Map<String, ?> retryPolicy =
        Map.of(
            "maxAttempts",
            2.0,
            "initialBackoff",
            "0.01s",
            "maxBackoff",
            "0.05s",
            "backoffMultiplier",
            2.0,
            "retryableStatusCodes",
            List.of("UNAVAILABLE"));
    Map<String, ?> config =
        Map.of(
            "methodConfig",
            List.of(
                Map.of(
                    "name", List.of(Map.of("service", ECHO_SERVICE)), "retryPolicy", retryPolicy)));
    ManagedChannel channel =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .defaultServiceConfig(config)
                .build());
    assertThat(call(channel, "Flaky")).containsExactly(1);
    assertThat(attempts.get()).isEqualTo(2);
  }

  @Test
  void roundRobinSpreadsCallsAndPickFirstDoesNot() throws Exception {
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    String target = "ipv4:127.0.0.1:" + counting(a).port() + ",127.0.0.1:" + counting(b).port();

    ManagedChannel pickFirst = grpc.register(ChannelBuilder.forTarget(target).build());
    for (int i = 0; i < 50; i++) {
      call(pickFirst, "Counted");
    }
    assertThat(List.of(a.get(), b.get())).containsExactlyInAnyOrder(50, 0);

    a.set(0);
    b.set(0);
    ManagedChannel roundRobin =
        grpc.register(ChannelBuilder.forTarget(target).loadBalancingPolicy("round_robin").build());
    assertThat(roundRobin.awaitReady(Duration.ofSeconds(10))).isTrue();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    // Once both connections are READY, calls alternate.
    while ((a.get() < 10 || b.get() < 10) && System.nanoTime() < end) {
      call(roundRobin, "Counted");
    }
    assertThat(a.get()).isGreaterThanOrEqualTo(10);
    assertThat(b.get()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void anIdleChannelDropsItsConnection() throws Exception {
    Server server = counting(new AtomicInteger());
    ManagedChannel channel =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .idleTimeout(Duration.ofSeconds(1))
                .build());
    call(channel, "Counted");
    assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
    assertThat(channel.whenStateChanged(ConnectivityState.READY).get(10, TimeUnit.SECONDS))
        .isEqualTo(ConnectivityState.IDLE);
    call(channel, "Counted"); // reconnects
    assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
  }

  @Test
  void aShortReconnectBackoffReconnectsSoonAfterARestart() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ManagedChannel channel =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + port)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(100))
                .build());
    // Nothing listens: attempts fail, each followed by a backoff of at most 100 ms (default: 1 s
    // growing to 120 s).
    assertThat(channel.awaitReady(Duration.ofMillis(500))).isFalse();
    grpc.register(
        ServerBuilder.forAddress("127.0.0.1:" + port)
            .addService(EchoService.service(null, null))
            .build()
            .start());
    assertThat(channel.awaitReady(Duration.ofMillis(700))).isTrue();
  }
}
