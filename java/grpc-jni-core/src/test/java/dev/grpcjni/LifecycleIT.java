// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import dev.grpcjni.testing.InFlightAtExit;
import dev.grpcjni.testing.LiveObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shutdown, close and misuse of channels, servers and environments, with calls in flight. */
class LifecycleIT {
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  /** Holds each call's context and response future until the test decides. */
  private final BlockingQueue<ServerCallContext> contexts = new LinkedBlockingQueue<>();

  private final List<ServerCallContext> serverSide = new ArrayList<>();

  private final BlockingQueue<CompletableFuture<byte[]>> responses = new LinkedBlockingQueue<>();

  private ServerBuilder heldServer() {
    return ServerBuilder.forAddress("127.0.0.1:0")
        .addService(
            EchoService.service(
                "Held",
                (req, ctx) -> {
                  CompletableFuture<byte[]> response = new CompletableFuture<>();
                  responses.add(response);
                  contexts.add(ctx);
                  return response;
                }));
  }

  private List<CompletableFuture<byte[]>> startHeldCalls(ManagedChannel channel, int n)
      throws InterruptedException {
    List<CompletableFuture<byte[]>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(ClientCalls.unaryCall(channel, EchoService.method("Held"), new byte[] {(byte) i}));
    }
    for (int i = 0; i < n; i++) {
      ServerCallContext ctx = contexts.poll(10, TimeUnit.SECONDS);
      assertThat(ctx).as("call %d arrived", i).isNotNull();
      serverSide.add(ctx);
    }
    return calls;
  }

  private static Status.Code failureCode(CompletableFuture<?> f) {
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    assertThat(e).as("future should fail").isNotNull();
    return ((StatusException) e.getCause()).status().code();
  }

  @Test
  void channelShutdownNowFailsCallsInFlight() throws Exception {
    Server server = grpc.register(heldServer().build().start());
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    List<CompletableFuture<byte[]>> calls = startHeldCalls(channel, 10);
    channel.shutdownNow();
    for (CompletableFuture<byte[]> call : calls) {
      assertThat(failureCode(call)).isEqualTo(Status.Code.UNAVAILABLE);
    }
    assertThat(channel.awaitTermination(TEN_SECONDS)).isTrue();
    assertThat(channel.isTerminated()).isTrue();
    for (ServerCallContext ctx : serverSide) {
      ctx.whenCancelled().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void channelShutdownLetsCallsInFlightFinish() throws Exception {
    Server server = grpc.register(heldServer().build().start());
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    List<CompletableFuture<byte[]>> calls = startHeldCalls(channel, 5);
    channel.shutdown();
    assertThat(channel.isShutdown()).isTrue();
    assertThat(failureCode(ClientCalls.unaryCall(channel, EchoService.ECHO, new byte[0])))
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(channel.awaitTermination(Duration.ofMillis(200))).isFalse();
    CompletableFuture<byte[]> r;
    while ((r = responses.poll()) != null) {
      r.complete(new byte[] {42});
    }
    for (CompletableFuture<byte[]> call : calls) {
      assertThat(call.get(10, TimeUnit.SECONDS)).containsExactly(42);
    }
    assertThat(channel.awaitTermination(TEN_SECONDS)).isTrue();
  }

  @Test
  void closedChannelRefusesUseWithAnException() throws Exception {
    Server server = grpc.register(heldServer().build().start());
    ManagedChannel channel = ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build();
    assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, new byte[] {1}))
        .containsExactly(1);
    channel.close();
    channel.close();
    assertThat(channel.isTerminated()).isTrue();
    assertThat(failureCode(ClientCalls.unaryCall(channel, EchoService.ECHO, new byte[0])))
        .isEqualTo(Status.Code.UNAVAILABLE);
    StatusException e =
        catchThrowableOfType(
            StatusException.class,
            () -> ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, new byte[0]));
    assertThat(e.status().code()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void serverShutdownLetsCallsInFlightFinish() throws Exception {
    Server server = grpc.register(heldServer().build().start());
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    List<CompletableFuture<byte[]>> calls = startHeldCalls(channel, 5);
    CompletableFuture<Void> terminated = server.shutdown();
    assertThat(server.isShutdown()).isTrue();
    assertThat(terminated).isNotDone();
    CompletableFuture<byte[]> r;
    while ((r = responses.poll()) != null) {
      r.complete(new byte[] {7});
    }
    for (CompletableFuture<byte[]> call : calls) {
      assertThat(call.get(10, TimeUnit.SECONDS)).containsExactly(7);
    }
    terminated.get(10, TimeUnit.SECONDS);
    assertThat(server.isTerminated()).isTrue();
    assertThat(failureCode(ClientCalls.unaryCall(channel, EchoService.ECHO, new byte[0])))
        .isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void serverShutdownNowCancelsCallsInFlight() throws Exception {
    Server server = grpc.register(heldServer().build().start());
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    List<CompletableFuture<byte[]>> calls = startHeldCalls(channel, 10);
    server.shutdownNow().get(10, TimeUnit.SECONDS);
    for (CompletableFuture<byte[]> call : calls) {
      assertThat(failureCode(call)).isIn(Status.Code.CANCELLED, Status.Code.UNAVAILABLE);
    }
    for (ServerCallContext ctx : serverSide) {
      assertThat(ctx.isCancelled()).isTrue();
    }
    // Handlers answering after the server is gone must do nothing, not touch freed calls.
    CompletableFuture<byte[]> r;
    while ((r = responses.poll()) != null) {
      r.complete(new byte[] {1});
    }
    assertThat(serverSide.get(0).peer()).isEqualTo("unknown");
  }

  @Test
  void serverLifecycleMisuseThrows() throws Exception {
    Server never = ServerBuilder.forAddress("127.0.0.1:0").build();
    assertThatThrownBy(never::port).isInstanceOf(IllegalStateException.class);
    never.close();
    assertThat(never.isTerminated()).isTrue();
    assertThatThrownBy(never::start).isInstanceOf(IllegalStateException.class);

    Server server = heldServer().build().start();
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    server.close();
    server.close();
    assertThat(server.isTerminated()).isTrue();
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                ServerBuilder.forAddress("x")
                    .addService(EchoService.service(null, null))
                    .addService(EchoService.service(null, null))
                    .build()
                    .start())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bindFailureIsAnIOException() throws Exception {
    Server first = grpc.register(heldServer().build().start());
    Server second =
        ServerBuilder.forAddress("127.0.0.1:" + first.port())
            .addService(EchoService.service(null, null))
            .build();
    assertThatThrownBy(second::start)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("127.0.0.1:" + first.port());
    assertThat(second.awaitTermination(TEN_SECONDS)).isTrue();
    // Port sharing is an explicit opt-in, by both servers.
    Server reusable =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .channelArg("grpc.so_reuseport", 1)
                .build()
                .start());
    Server sharing =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:" + reusable.port())
                .channelArg("grpc.so_reuseport", 1)
                .build()
                .start());
    assertThat(sharing.port()).isEqualTo(reusable.port());
    assertThatThrownBy(() -> ServerBuilder.forAddress("no such host:1").build().start())
        .isInstanceOf(IOException.class);
  }

  @Test
  void environmentCloseClosesServersThenChannels() throws Exception {
    long[] baseline = LiveObjects.snapshot();
    Environment env = Environment.builder().completionQueues(2).build();
    assertThat(env.completionQueueCount()).isEqualTo(2);
    Server server = heldServer().environment(env).build().start();
    ManagedChannel channel =
        ChannelBuilder.forTarget("127.0.0.1:" + server.port()).environment(env).build();
    List<CompletableFuture<byte[]>> calls = startHeldCalls(channel, 6);
    env.close();
    env.close();
    assertThat(env.isClosed()).isTrue();
    assertThat(server.isTerminated()).isTrue();
    assertThat(channel.isTerminated()).isTrue();
    for (CompletableFuture<byte[]> call : calls) {
      assertThat(failureCode(call)).isIn(Status.Code.CANCELLED, Status.Code.UNAVAILABLE);
    }
    assertThatThrownBy(() -> ChannelBuilder.forTarget("127.0.0.1:1").environment(env).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> heldServer().environment(env).build().start())
        .isInstanceOf(IllegalStateException.class);
    assertThat(failureCode(ClientCalls.unaryCall(channel, EchoService.ECHO, new byte[0])))
        .isEqualTo(Status.Code.UNAVAILABLE);
    long[] after = LiveObjects.awaitEqual(baseline, 5000);
    assertThat(after).as(LiveObjects.describe(after)).isEqualTo(baseline);
  }

  @Test
  void channelsBuiltWhileTheEnvironmentClosesAreClosedOrRefused() throws Exception {
    long[] baseline = LiveObjects.snapshot();
    for (int round = 0; round < 20; round++) {
      Environment env = Environment.builder().completionQueues(1).build();
      List<ManagedChannel> built = new CopyOnWriteArrayList<>();
      List<Throwable> unexpected = new CopyOnWriteArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> builders = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        Thread builder =
            new Thread(
                () -> {
                  try {
                    go.await();
                    for (; ; ) {
                      built.add(ChannelBuilder.forTarget("127.0.0.1:1").environment(env).build());
                    }
                  } catch (IllegalStateException e) {
                    if (!"environment is closed".equals(e.getMessage())) {
                      unexpected.add(e);
                    }
                  } catch (Throwable e) {
                    unexpected.add(e);
                  }
                });
        builder.start();
        builders.add(builder);
      }
      go.countDown();
      Thread.sleep(round % 4);
      env.close();
      for (Thread builder : builders) {
        builder.join(10_000);
        assertThat(builder.isAlive()).isFalse();
      }
      assertThat(unexpected).isEmpty();
      // Every channel built before the close was closed by it; none was left for later.
      for (ManagedChannel channel : built) {
        assertThat(channel.isTerminated()).as("channel %s", channel).isTrue();
      }
    }
    long[] after = LiveObjects.awaitEqual(baseline, 5000);
    assertThat(after).as(LiveObjects.describe(after)).isEqualTo(baseline);
  }

  /** This JVM's class path and module path (where the tests find grpc-jni as a module). */
  static String childClassPath() {
    String cp = System.getProperty("java.class.path");
    String mp = System.getProperty("jdk.module.path");
    return mp == null || mp.isEmpty() ? cp : mp + java.io.File.pathSeparator + cp;
  }

  @ParameterizedTest
  @ValueSource(strings = {"return", "exit", "tls-return", "tls-exit"})
  void jvmExitsWithCallsInFlight(String how) throws Exception {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Path errorFile = Paths.get("target", "hs_err_inflight_%p.log").toAbsolutePath();
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-XX:ErrorFile=" + errorFile,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                childClassPath(),
                InFlightAtExit.class.getName(),
                how)
            .redirectErrorStream(true)
            .start();
    boolean exited = p.waitFor(60, TimeUnit.SECONDS);
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!exited) {
      p.destroyForcibly();
    }
    assertThat(exited).as("JVM exited; output:%n%s", output).isTrue();
    assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
    assertThat(output).contains("IN FLIGHT");
  }
}
