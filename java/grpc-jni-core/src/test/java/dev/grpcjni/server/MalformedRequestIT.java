// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import dev.grpcjni.testing.RawHttp2;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests no gRPC client would send, written as raw HTTP/2 frames: the server must answer each
 * with a status (or the core must reset the stream), never leave it hanging or fail on a poller.
 */
class MalformedRequestIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  /**
   * The core checks only that :path is present, so these reach the server's unknown-method path.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "/", "noslash", "/grpcjni.test.Echo"})
  void oddPathsEndTheStream(String path) throws Exception {
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(EchoService.service(null, null))
                .build()
                .start());
    try (RawHttp2 peer = new RawHttp2(server.port(), true)) {
      peer.headers(1, RawHttp2.requestHeaders(path).toByteArray(), true);
      assertThat(peer.readUntilStreamEnds(1).how())
          .as("how stream 1 ended for :path \"%s\"", path)
          .isIn("trailers", "reset");
    }
    // The server is unharmed.
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, new byte[] {3}))
        .containsExactly(3);
  }
}
