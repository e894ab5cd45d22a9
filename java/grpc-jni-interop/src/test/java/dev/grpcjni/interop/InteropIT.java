// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every interop case, grpc-jni's client against grpc-jni's server, in process, over plaintext and
 * TLS with gRPC's test certificates. scripts/interop.sh runs the same cases against grpc-java.
 */
class InteropIT {
  static Server plaintext;
  static Server tls;
  static ManagedChannel plaintextChannel;
  static ManagedChannel tlsChannel;

  @BeforeAll
  static void start() throws Exception {
    plaintext = TestServiceServer.start(0, false);
    tls = TestServiceServer.start(0, true);
    plaintextChannel = TestServiceClient.channel(flags(plaintext.port(), false));
    tlsChannel = TestServiceClient.channel(flags(tls.port(), true));
  }

  @AfterAll
  static void stop() throws Exception {
    for (ManagedChannel c : new ManagedChannel[] {plaintextChannel, tlsChannel}) {
      if (c != null) {
        c.close();
      }
    }
    for (Server s : new Server[] {plaintext, tls}) {
      if (s != null) {
        s.shutdownNow();
        assertThat(s.awaitTermination(Duration.ofSeconds(10))).isTrue();
      }
    }
  }

  static Flags flags(int port, boolean useTls) {
    List<String> args =
        new ArrayList<>(List.of("--server_host=127.0.0.1", "--server_port=" + port));
    if (useTls) {
      args.addAll(
          List.of(
              "--use_tls=true",
              "--use_test_ca=true",
              "--server_host_override=" + TestCa.SERVER_HOST_OVERRIDE));
    }
    return Flags.parse(args.toArray(String[]::new), clientDefaults());
  }

  static Map<String, String> clientDefaults() {
    java.util.LinkedHashMap<String, String> d = new java.util.LinkedHashMap<>();
    d.put("server_host", "localhost");
    d.put("server_port", "8080");
    d.put("use_tls", "false");
    d.put("use_test_ca", "false");
    d.put("server_host_override", null);
    return d;
  }

  static Stream<Arguments> cases() {
    List<String> all = new ArrayList<>(TestServiceClient.CASES);
    all.addAll(TestServiceClient.EXTRA_CASES);
    return Stream.of(false, true)
        .flatMap(useTls -> all.stream().map(c -> Arguments.of(useTls ? "tls" : "plaintext", c)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void passes(String transport, String testCase) throws Exception {
    ManagedChannel channel = transport.equals("tls") ? tlsChannel : plaintextChannel;
    new TestServiceClient(channel).run(testCase); // throws AssertionError on failure
  }

  @Test
  void runAllCountsFailures() {
    TestServiceClient client = new TestServiceClient(plaintextChannel);
    assertThat(client.runAll(List.of("empty_unary", "large_unary"))).isZero();
  }

  @Test
  void aClientWithoutTheTestCaCannotConnect() {
    // TLS with the system roots: the test CA is not among them, so the case fails, and says so.
    Flags f =
        Flags.parse(
            new String[] {
              "--server_host=127.0.0.1",
              "--server_port=" + tls.port(),
              "--use_tls=true",
              "--server_host_override=" + TestCa.SERVER_HOST_OVERRIDE
            },
            clientDefaults());
    try (ManagedChannel channel = TestServiceClient.channel(f)) {
      assertThatThrownBy(() -> new TestServiceClient(channel).run("empty_unary"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("UNAVAILABLE");
    }
  }

  @Test
  void badCommandLinesAreRejected() {
    assertThatThrownBy(() -> Flags.parse(new String[] {"--bogus=1"}, clientDefaults()))
        .hasMessageContaining("unknown flag: --bogus");
    assertThatThrownBy(() -> Flags.parse(new String[] {"server_port"}, clientDefaults()))
        .hasMessageContaining("--name=value");
    assertThatThrownBy(() -> Flags.parse(new String[] {"--server_port"}, clientDefaults()))
        .hasMessageContaining("--name=value");
    assertThat(Flags.parse(new String[] {"--use_tls"}, clientDefaults()).getBoolean("use_tls"))
        .isTrue();
    assertThatThrownBy(
            () ->
                Flags.parse(new String[] {"--server_port=x"}, clientDefaults())
                    .getInt("server_port"))
        .hasMessageContaining("integer");
    assertThatThrownBy(
            () ->
                Flags.parse(new String[] {"--use_tls=yes"}, clientDefaults()).getBoolean("use_tls"))
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> TestServiceClient.parseCases("empty_unary,nope"))
        .hasMessageContaining("unknown test case: nope");
    assertThat(TestServiceClient.parseCases("all")).hasSize(18);
    assertThat(TestServiceClient.parseCases("ping_pong,empty_stream"))
        .containsExactly("ping_pong", "empty_stream");
  }

  /**
   * The interop server serves health (every service and the overall status SERVING) and reflection
   * (both versions, the test service's schema among them), over plaintext and TLS.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void healthAndReflectionAreServed(boolean useTls) throws Exception {
    ManagedChannel channel = useTls ? tlsChannel : plaintextChannel;
    dev.grpcjni.services.health.v1.HealthGrpcJni.Stub health =
        dev.grpcjni.services.health.v1.HealthGrpcJni.newStub(channel)
            .withDeadlineAfter(Duration.ofSeconds(10));
    for (String service :
        List.of(
            "",
            "grpc.testing.TestService",
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection")) {
      assertThat(
              health
                  .checkBlocking(
                      dev.grpcjni.services.health.v1.HealthCheckRequest.newBuilder()
                          .setService(service)
                          .build())
                  .getStatus())
          .as(service)
          .isEqualTo(dev.grpcjni.services.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    }
    java.util.concurrent.CompletableFuture<
            dev.grpcjni.services.reflection.v1.ServerReflectionResponse>
        answer = new java.util.concurrent.CompletableFuture<>();
    dev.grpcjni.stub.ClientCallStreamObserver<
            dev.grpcjni.services.reflection.v1.ServerReflectionRequest>
        out =
            dev.grpcjni.services.reflection.v1.ServerReflectionGrpcJni.newStub(channel)
                .withDeadlineAfter(Duration.ofSeconds(10))
                .serverReflectionInfo(
                    new dev.grpcjni.stub.StreamObserver<>() {
                      @Override
                      public void onNext(
                          dev.grpcjni.services.reflection.v1.ServerReflectionResponse value) {
                        answer.complete(value);
                      }

                      @Override
                      public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                      }

                      @Override
                      public void onCompleted() {}
                    });
    out.onNext(
        dev.grpcjni.services.reflection.v1.ServerReflectionRequest.newBuilder()
            .setFileContainingSymbol("grpc.testing.TestService")
            .build());
    out.onCompleted();
    List<String> files = new ArrayList<>();
    for (com.google.protobuf.ByteString b :
        answer
            .get(10, java.util.concurrent.TimeUnit.SECONDS)
            .getFileDescriptorResponse()
            .getFileDescriptorProtoList()) {
      files.add(com.google.protobuf.DescriptorProtos.FileDescriptorProto.parseFrom(b).getName());
    }
    assertThat(files)
        .containsExactlyInAnyOrder(
            "grpc/testing/test.proto", "grpc/testing/empty.proto", "grpc/testing/messages.proto");
  }
}
