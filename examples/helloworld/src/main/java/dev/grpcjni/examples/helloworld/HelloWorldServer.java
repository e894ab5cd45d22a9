// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.helloworld;

import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import java.time.Duration;

/**
 * Serves Greeter until the process is stopped.
 *
 * <p>Usage: {@code HelloWorldServer [--address=127.0.0.1:50051]}. Port 0 picks a free port; the
 * server prints the address it listens on.
 */
public final class HelloWorldServer {
  private HelloWorldServer() {}

  public static void main(String[] args) throws Exception {
    String address = "127.0.0.1:50051";
    for (String arg : args) {
      if (arg.startsWith("--address=")) {
        address = arg.substring("--address=".length());
      } else {
        System.err.println("usage: HelloWorldServer [--address=HOST:PORT]");
        System.exit(2);
      }
    }
    Server server =
        ServerBuilder.forAddress(address)
            .addService(new GreeterImpl().bindService())
            .build()
            .start();
    String host = address.substring(0, address.lastIndexOf(':'));
    System.out.println("Server listening on " + host + ":" + server.port());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // Let calls in flight finish, then cancel stragglers.
                  server.shutdown();
                  try {
                    if (!server.awaitTermination(Duration.ofSeconds(5))) {
                      server.shutdownNow();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    server.terminationFuture().join(); // until the shutdown hook has shut the server down
  }
}
