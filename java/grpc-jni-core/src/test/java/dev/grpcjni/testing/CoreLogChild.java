// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.testing;

import dev.grpcjni.CoreLogging;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ClientCalls;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Run by CoreLoggingIT in its own JVM, whose stderr the test reads: a normal round trip, then one
 * line the C core logs at error (an unknown tracer's name). The JUL handler here prints what it
 * receives on stdout as {@code DELIVERED <level> <message>}, so anything of the core on stderr came
 * from the core itself.
 */
public final class CoreLogChild {
  public static void main(String[] args) throws Exception {
    LogManager.getLogManager().reset();
    CountDownLatch delivered = new CountDownLatch(1);
    Logger.getLogger("")
        .addHandler(
            new Handler() {
              @Override
              public void publish(LogRecord r) {
                System.out.println("DELIVERED " + r.getLevel() + " " + r.getMessage());
                if (r.getMessage().contains("no_such_tracer")) {
                  delivered.countDown();
                }
              }

              @Override
              public void flush() {}

              @Override
              public void close() {}
            });
    Server server =
        ServerBuilder.forAddress("127.0.0.1:0")
            .addService(
                EchoService.service("Ping", (req, ctx) -> CompletableFuture.completedFuture(req)))
            .build()
            .start();
    ManagedChannel channel = ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build();
    byte[] reply =
        ClientCalls.unaryCall(channel, EchoService.method("Ping"), new byte[] {7})
            .get(10, TimeUnit.SECONDS);
    System.out.println("REPLY " + reply[0]);
    System.out.println("KNOWN " + CoreLogging.enableTrace("no_such_tracer"));
    if (!delivered.await(10, TimeUnit.SECONDS)
        && !"false".equals(System.getProperty("grpcjni.log.capture"))) {
      throw new IllegalStateException("the C core's line was not delivered");
    }
    channel.shutdown();
    server.shutdown();
    channel.awaitTermination(java.time.Duration.ofSeconds(10));
    server.awaitTermination(java.time.Duration.ofSeconds(10));
  }
}
