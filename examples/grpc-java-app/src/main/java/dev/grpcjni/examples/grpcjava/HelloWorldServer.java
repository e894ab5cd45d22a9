// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.grpcjava;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@link GreeterImpl} with grpc-java's {@code Grpc.newServerBuilderForPort}: on the C core
 * when grpc-jni-grpcjava is on the class path, on Netty otherwise.
 *
 * <pre>java -cp … dev.grpcjni.examples.grpcjava.HelloWorldServer [--port=50051]</pre>
 */
public final class HelloWorldServer {
  private final Server server;

  /** A server on {@code port} (0: a free one), with {@code interceptors} around the service. */
  public HelloWorldServer(int port, ServerInterceptor... interceptors) {
    var builder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
    builder.addService(new GreeterImpl());
    for (ServerInterceptor interceptor : interceptors) {
      builder.intercept(interceptor);
    }
    this.server = builder.build();
  }

  /** Starts listening. */
  public HelloWorldServer start() throws IOException {
    server.start();
    return this;
  }

  /** The port it listens on, once started. */
  public int port() {
    return server.getPort();
  }

  /** grpc-java's server underneath (to see which transport the provider chose). */
  public Server server() {
    return server;
  }

  /** Stops accepting calls, waits up to 5 s for those in flight, then cancels the rest. */
  public void stop() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Runs until the JVM is stopped. */
  public static void main(String[] args) throws Exception {
    int port = 50051;
    for (String arg : args) {
      if (arg.startsWith("--port=")) {
        port = Integer.parseInt(arg.substring("--port=".length()));
      } else {
        System.err.println("usage: HelloWorldServer [--port=N]");
        System.exit(2);
      }
    }
    HelloWorldServer server = new HelloWorldServer(port).start();
    System.out.println("Server started on port " + server.port());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.stop();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    server.server().awaitTermination();
  }
}
