// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.LiveObjects;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;

/** The native-resource counts, in Java and over JMX, rise with live objects and fall back. */
class NativeResourcesIT {
  @Test
  void countsFollowLiveObjectsAndJmxShowsThem() throws Exception {
    long[] baseline = LiveObjects.snapshot();
    NativeResources resources = NativeResources.get();
    long channels = resources.getChannels();
    long servers = resources.getServers();
    try (Environment env = Environment.builder().completionQueues(2).build()) {
      CompletableFuture<byte[]> never = new CompletableFuture<>();
      Server server =
          ServerBuilder.forAddress("127.0.0.1:0")
              .environment(env)
              .addService(EchoService.service("Hang", (req, ctx) -> never))
              .build()
              .start();
      ManagedChannel channel =
          ChannelBuilder.forTarget("127.0.0.1:" + server.port()).environment(env).build();
      CompletableFuture<byte[]> call =
          ClientCalls.unaryCall(channel, EchoService.method("Hang"), new byte[] {1});
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (resources.getCalls() < 2 && System.nanoTime() < until) {
        Thread.sleep(10); // the client's call and the server's
      }
      assertThat(resources.getCalls()).isGreaterThanOrEqualTo(2);
      assertThat(resources.getChannels()).isEqualTo(channels + 1);
      assertThat(resources.getServers()).isEqualTo(servers + 1);
      assertThat(resources.getRequestContexts()).isPositive(); // the server's posted slots
      assertThat(resources.getBatchContexts()).isPositive(); // the unary batch waits

      List<NativeResources.Poller> pollers = resources.getPollers();
      assertThat(pollers).hasSizeGreaterThanOrEqualTo(2); // this environment's two, at least
      assertThat(pollers).extracting(NativeResources.Poller::getName).doesNotHaveDuplicates();
      assertThat(pollers).anySatisfy(p -> assertThat(p.getEvents()).isPositive());
      assertThat(pollers).anySatisfy(p -> assertThat(p.getOperationsInFlight()).isPositive());
      assertThat(pollers).allSatisfy(p -> assertThat(p.getCpuTimeNanos()).isNotZero());

      MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
      ObjectName name = new ObjectName(NativeResources.OBJECT_NAME);
      assertThat(jmx.isRegistered(name)).isTrue();
      assertThat((Long) jmx.getAttribute(name, "Channels")).isEqualTo(channels + 1);
      CompositeData[] jmxPollers = (CompositeData[]) jmx.getAttribute(name, "Pollers");
      assertThat(jmxPollers).hasSizeGreaterThanOrEqualTo(2);
      NativeResourcesMXBean proxy = JMX.newMXBeanProxy(jmx, name, NativeResourcesMXBean.class);
      assertThat(proxy.getServers()).isEqualTo(servers + 1);
      assertThat(proxy.getPollers())
          .extracting(NativeResources.Poller::getName)
          .contains(jmxPollers[0].get("name").toString());

      call.cancel(true);
      channel.shutdownNow();
      server.shutdownNow();
      never.complete(new byte[0]);
      assertThat(channel.awaitTermination(Duration.ofSeconds(10))).isTrue();
      assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }
    long[] after = LiveObjects.awaitEqual(baseline, 5000);
    assertThat(after).as(LiveObjects.describe(after)).isEqualTo(baseline);
    assertThat(resources.getChannels()).isEqualTo(channels);
  }
}
