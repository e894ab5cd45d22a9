// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.grpcjava;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.benchmarks.qps.AsyncServer;
import java.util.Map;

/**
 * grpc-java's own benchmark service ({@code
 * io.grpc.benchmarks.qps.AsyncServer.BenchmarkServiceImpl}) on a server from grpc-java's API, {@code Grpc.newServerBuilderForPort}: on Netty, or on the C
 * core when grpc-jni-grpcjava is on the class path. Executor as grpc-java's {@code AsyncServer}
 * (a per-core ForkJoinPool, or {@code --directexecutor}).
 *
 * <pre>ApiServer --address=HOST:PORT [--directexecutor]</pre>
 *
 * <p>Listens on every interface on PORT (0: a free one); prints "Server started on port N".
 */
public final class ApiServer {
  private ApiServer() {}

  public static void main(String[] args) throws Exception {
    Flags f = Flags.parse(args, Map.of("address", "127.0.0.1:0", "directexecutor", "false"));
    ServerBuilder<?> b =
        Grpc.newServerBuilderForPort(
            Flags.port(f.get("address")), InsecureServerCredentials.create());
    b.addService(new AsyncServer.BenchmarkServiceImpl());
    if (f.getBoolean("directexecutor")) {
      b.directExecutor();
    } else {
      b.executor(Executors.perCore("grpc-server-app-"));
    }
    Server server = b.build().start();
    String transport = server.getClass().getName();
    System.out.println("Server started on port " + server.getPort() + " (" + transport + ")");
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    server.awaitTermination();
  }
}
