// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.services.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.CallOptions;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.services.NativeLeaks;
import dev.grpcjni.services.health.v1.HealthCheckResponse.ServingStatus;
import dev.grpcjni.stub.ClientCalls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Client-side health checking: the C core watches each backend's health service as the service
 * config's {@code healthCheckConfig} says, and round_robin sends calls only to SERVING ones.
 */
class ClientHealthCheckingTest {
  static final String SERVICE = "grpcjni.test.Who";
  static final MethodDescriptor<byte[], byte[]> WHO =
      MethodDescriptor.unary(SERVICE + "/Who", Marshallers.bytes(), Marshallers.bytes());

  final NativeLeaks leaks = new NativeLeaks();
  final HealthStatusManager healthA = new HealthStatusManager();
  final HealthStatusManager healthB = new HealthStatusManager();
  Server a;
  Server b;
  ManagedChannel channel;

  static Server backend(String name, HealthStatusManager health) throws Exception {
    Server s =
        ServerBuilder.forAddress("127.0.0.1:0")
            .addService(
                ServiceDefinition.builder(SERVICE)
                    .unary(
                        WHO,
                        (req, ctx) ->
                            CompletableFuture.completedFuture(
                                name.getBytes(StandardCharsets.UTF_8)))
                    .build())
            .addService(health.getHealthService())
            .build()
            .start();
    health.setStatus(SERVICE, ServingStatus.SERVING);
    return s;
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.close();
    a.close();
    b.close();
    leaks.assertNoneLeft();
  }

  String who() {
    return new String(
        ClientCalls.blockingUnaryCall(
            channel,
            WHO,
            new byte[0],
            CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10))),
        StandardCharsets.UTF_8);
  }

  /** Calls until {@code n} in a row were answered by {@code name} (or 10 s pass); true if so. */
  boolean settlesOn(String name, int n) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int run = 0;
    while (run < n && System.nanoTime() < end) {
      run = who().equals(name) ? run + 1 : 0;
    }
    return run >= n;
  }

  @Test
  void callsGoOnlyToServingBackends() throws Exception {
    a = backend("a", healthA);
    b = backend("b", healthB);
    channel =
        ChannelBuilder.forTarget("ipv4:127.0.0.1:" + a.port() + ",127.0.0.1:" + b.port())
            .defaultServiceConfig(
                "{\"loadBalancingConfig\": [{\"round_robin\": {}}],"
                    + " \"healthCheckConfig\": {\"serviceName\": \""
                    + SERVICE
                    + "\"}}")
            .build();
    // Both serving: both answer.
    boolean sawA = false;
    boolean sawB = false;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(sawA && sawB) && System.nanoTime() < end) {
      String w = who();
      sawA |= w.equals("a");
      sawB |= w.equals("b");
    }
    assertThat(sawA && sawB).as("both backends answered").isTrue();

    healthA.setStatus(SERVICE, ServingStatus.NOT_SERVING);
    assertThat(settlesOn("b", 50)).as("only b after a turned NOT_SERVING").isTrue();

    healthA.setStatus(SERVICE, ServingStatus.SERVING);
    healthB.setStatus(SERVICE, ServingStatus.NOT_SERVING);
    assertThat(settlesOn("a", 50)).as("only a after b turned NOT_SERVING").isTrue();
  }
}
