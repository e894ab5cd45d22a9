// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.testing;

import dev.grpcjni.client.Channel;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A program that leaves calls in flight and returns from main without closing anything. Run by
 * LifecycleIT in its own JVM: the JVM must exit on its own.
 */
public final class InFlightAtExit {
  public static void main(String[] args) throws Exception {
    CountDownLatch arrived = new CountDownLatch(8);
    Server server =
        ServerBuilder.forAddress("127.0.0.1:0")
            .addService(
                EchoService.service(
                    "Hang",
                    (req, ctx) -> {
                      arrived.countDown();
                      return new CompletableFuture<>();
                    }))
            .build()
            .start();
    Channel channel = ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build();
    for (int i = 0; i < 8; i++) {
      channel.unaryCall(EchoService.method("Hang"), new byte[] {1});
    }
    if (!arrived.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("calls did not arrive");
    }
    System.out.println("IN FLIGHT");
    if (args.length > 0 && args[0].equals("exit")) {
      System.exit(0);
    }
  }
}
