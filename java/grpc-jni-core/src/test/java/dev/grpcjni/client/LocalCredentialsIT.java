// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.AuthContext;
import dev.grpcjni.CallOptions;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The C core's local credentials over a Unix socket and over loopback TCP. */
class LocalCredentialsIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  final List<AuthContext> seen = new CopyOnWriteArrayList<>();

  Server server(String address) throws Exception {
    return grpc.register(
        ServerBuilder.forAddress(address)
            .useLocalCredentials()
            .addService(
                EchoService.service(
                    "Auth",
                    (req, ctx) -> {
                      seen.add(ctx.authContext());
                      return CompletableFuture.completedFuture(req);
                    }))
            .build()
            .start());
  }

  static byte[] call(ManagedChannel channel) {
    return ClientCalls.blockingUnaryCall(
        channel,
        EchoService.method("Auth"),
        new byte[] {5},
        CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10)));
  }

  @Test
  void overAUnixSocketTheConnectionIsLocalAndPrivate() throws Exception {
    Path dir = Files.createTempDirectory("grpcjni-local");
    String address = "unix:" + dir.resolve("s.sock");
    server(address);
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget(address).useLocalCredentials().build());
    assertThat(call(channel)).containsExactly(5);
    AuthContext auth = seen.get(0);
    assertThat(auth.transportSecurityType()).isEqualTo("local");
    assertThat(auth.securityLevel()).isEqualTo("TSI_PRIVACY_AND_INTEGRITY");
    assertThat(auth.commonName()).isNull();
    assertThat(auth.isTls()).isFalse();
    assertThat(auth.isPeerAuthenticated()).isTrue(); // as "local"
    assertThat(auth.peerIdentity()).containsExactly("local");
  }

  @Test
  void overLoopbackTcpItIsLocalToo() throws Exception {
    Server server = server("127.0.0.1:0");
    ManagedChannel channel =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port()).useLocalCredentials().build());
    assertThat(call(channel)).containsExactly(5);
    assertThat(seen.get(0).transportSecurityType()).isEqualTo("local");
    // grpc_security.h says GRPC_SECURITY_NONE for local TCP; libgrpc 1.51's auth context says this.
    assertThat(seen.get(0).securityLevel()).isEqualTo("TSI_PRIVACY_AND_INTEGRITY");
  }
}
