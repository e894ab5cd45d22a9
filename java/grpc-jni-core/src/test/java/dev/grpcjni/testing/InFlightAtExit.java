// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.testing;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.client.TlsChannelCredentials;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.TlsServerCredentials;
import dev.grpcjni.stub.ClientCalls;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A program that leaves calls in flight and returns from main without closing anything. Run by
 * LifecycleIT in its own JVM: the JVM must exit on its own. Argument: {@code return} or {@code
 * exit} (System.exit), each optionally prefixed {@code tls-} to leave TLS connections open, whose
 * OpenSSL state the process then tears down at exit under the C core's live threads.
 */
public final class InFlightAtExit {
  public static void main(String[] args) throws Exception {
    String how = args.length > 0 ? args[0] : "return";
    boolean tls = how.startsWith("tls-");
    CountDownLatch arrived = new CountDownLatch(8);
    TestCerts certs = tls ? TestCerts.get() : null;
    ServerBuilder serverBuilder = ServerBuilder.forAddress("127.0.0.1:0");
    if (tls) {
      serverBuilder.tls(
          TlsServerCredentials.newBuilder()
              .keyManager(certs.serverChainPem, certs.serverKeyPem)
              .build());
    }
    Server server =
        serverBuilder
            .addService(
                EchoService.service(
                    "Hang",
                    (req, ctx) -> {
                      arrived.countDown();
                      return new CompletableFuture<>();
                    }))
            .build()
            .start();
    ChannelBuilder channelBuilder = ChannelBuilder.forTarget("127.0.0.1:" + server.port());
    if (tls) {
      channelBuilder
          .tls(TlsChannelCredentials.newBuilder().trustManager(certs.caPem).build())
          .overrideAuthority(TestCerts.SERVER_NAME);
    }
    ManagedChannel channel = channelBuilder.build();
    for (int i = 0; i < 8; i++) {
      ClientCalls.unaryCall(channel, EchoService.method("Hang"), new byte[] {1});
    }
    if (!arrived.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("calls did not arrive");
    }
    System.out.println("IN FLIGHT");
    if (how.endsWith("exit")) {
      System.exit(0);
    }
  }
}
