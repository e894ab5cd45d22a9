// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.Metadata;
import dev.grpcjni.ServerInterceptor;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a service learns of its server: {@link Server#services()}, and {@link ServerListener}s told
 * once of the start and once of the shutdown, while the server still takes calls.
 */
class ServerListenerIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  final List<String> events = new CopyOnWriteArrayList<>();

  ServerListener recorder(String name) {
    return new ServerListener() {
      @Override
      public void serverStarted(Server server) {
        events.add(name + " started " + server.port());
      }

      @Override
      public void serverShuttingDown(Server server) {
        events.add(name + " shutting down, shutdown=" + server.isShutdown());
      }
    };
  }

  ServiceDefinition listened(String listener) {
    return ServiceDefinition.builder("grpcjni.test.Listened")
        .unary(
            dev.grpcjni.MethodDescriptor.unary(
                "grpcjni.test.Listened/Call",
                dev.grpcjni.codec.Marshallers.bytes(),
                dev.grpcjni.codec.Marshallers.bytes()),
            (req, ctx) -> java.util.concurrent.CompletableFuture.completedFuture(req))
        .schemaDescriptor("a schema")
        .serverListener(recorder(listener))
        .build();
  }

  @Test
  void listenersHearTheStartAndTheShutdownOnce() throws Exception {
    ServiceDefinition echo = EchoService.service(null, null);
    ServiceDefinition listened = listened("a");
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(echo)
                .addService(listened)
                .build()
                .start());
    assertThat(server.services()).containsExactly(echo, listened);
    assertThat(events).containsExactly("a started " + server.port());

    // Interceptors (service-level and server-wide) keep the schema and the listeners.
    ServerInterceptor pass =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> dev.grpcjni.ServerCall.Listener<ReqT> interceptCall(
              dev.grpcjni.ServerCall<ReqT, RespT> call,
              dev.grpcjni.ServerCallHandler<ReqT, RespT> next) {
            return next.startCall(call);
          }
        };
    ServiceDefinition intercepted = listened.intercept(pass);
    assertThat(intercepted.schemaDescriptor()).isEqualTo("a schema");
    assertThat(intercepted.serverListeners()).isEqualTo(listened.serverListeners());

    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    assertThat(
            ClientCalls.blockingUnaryCall(
                channel,
                EchoService.ECHO,
                new byte[] {1},
                dev.grpcjni.CallOptions.DEFAULT.withHeaders(new Metadata())))
        .containsExactly(1);

    server.shutdown();
    server.shutdown();
    server.shutdownNow();
    assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(events)
        .containsExactly("a started " + server.port(), "a shutting down, shutdown=true");
  }

  @Test
  void theShutdownListenerRunsWhileTheServerStillTakesCalls() throws Exception {
    java.util.concurrent.atomic.AtomicReference<ManagedChannel> channel =
        new java.util.concurrent.atomic.AtomicReference<>();
    ServiceDefinition probing =
        ServiceDefinition.builder("grpcjni.test.Probing")
            .serverListener(
                new ServerListener() {
                  @Override
                  public void serverShuttingDown(Server server) {
                    byte[] r =
                        ClientCalls.blockingUnaryCall(
                            channel.get(),
                            EchoService.ECHO,
                            new byte[] {9},
                            dev.grpcjni.CallOptions.DEFAULT.withDeadlineAfter(
                                Duration.ofSeconds(10)));
                    events.add("call during shutdown: " + r[0]);
                  }
                })
            .build();
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(EchoService.service(null, null))
                .addService(probing)
                .build()
                .start());
    channel.set(grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build()));
    server.shutdown();
    assertThat(events).containsExactly("call during shutdown: 9");
    assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void aThrowingListenerIsLoggedAndDoesNotStopTheServer() throws Exception {
    ServiceDefinition bad =
        ServiceDefinition.builder("grpcjni.test.Bad")
            .serverListener(
                new ServerListener() {
                  @Override
                  public void serverStarted(Server server) {
                    throw new IllegalStateException("boom at start");
                  }

                  @Override
                  public void serverShuttingDown(Server server) {
                    throw new IllegalStateException("boom at shutdown");
                  }
                })
            .build();
    Server server =
        ServerBuilder.forAddress("127.0.0.1:0")
            .addService(bad)
            .addService(listened("after"))
            .build()
            .start();
    assertThat(events).hasSize(1).first().asString().startsWith("after started");
    server.close();
    assertThat(server.isTerminated()).isTrue();
    assertThat(events).hasSize(2).last().asString().startsWith("after shutting down");
  }

  @Test
  void aServerThatNeverStartedOnlyShutsDown() {
    Server server = ServerBuilder.forAddress("127.0.0.1:0").addService(listened("n")).build();
    server.shutdown();
    assertThat(events).containsExactly("n shutting down, shutdown=true");
  }

  @Test
  void aServerThatFailsToBindShutsDownAndNeverStarted() throws Exception {
    Server first = grpc.register(ServerBuilder.forAddress("127.0.0.1:0").build().start());
    Server second =
        ServerBuilder.forAddress("127.0.0.1:" + first.port()).addService(listened("b")).build();
    try {
      second.start();
    } catch (IOException expected) {
      // the port is taken
    }
    second.close();
    assertThat(events).containsExactly("b shutting down, shutdown=true");
  }
}
