// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.interop;

import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.services.health.HealthStatusManager;
import dev.grpcjni.services.health.v1.HealthCheckResponse.ServingStatus;
import dev.grpcjni.services.reflection.ProtoReflectionService;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The interop test server on grpc-jni, with grpc-java's command line:
 *
 * <pre>
 * TestServiceServer --port=PORT [--use_tls=true|false]
 * </pre>
 *
 * <p>Listens on every interface; {@code --port=0} picks a free port. Prints {@code Server started
 * on port N} (the bound port) once it accepts calls, and shuts down gracefully on SIGTERM/SIGINT.
 * With TLS it serves gRPC's test certificate {@code server1.pem}, valid for {@code
 * *.test.google.fr}: clients use {@code --use_test_ca=true
 * --server_host_override=foo.test.google.fr}.
 */
public final class TestServiceServer {
  private TestServiceServer() {}

  static final String USAGE =
      "Usage: TestServiceServer [--port=8080] [--use_tls=false]\n"
          + "  --port      port to listen on, on every interface (0: any free port)\n"
          + "  --use_tls   serve TLS with gRPC's test certificate server1.pem";

  public static void main(String[] args) throws Exception {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("port", "8080");
    defaults.put("use_tls", "false");
    Flags flags =
        Mains.parse(
            args,
            defaults,
            USAGE,
            f -> {
              f.getInt("port");
              f.getBoolean("use_tls");
            });
    if (flags != null) {
      Mains.serve(start(flags.getInt("port"), flags.getBoolean("use_tls")));
    }
  }

  /**
   * Starts the interop server on {@code port} (0: any free port) of every interface, with health
   * (every service SERVING) and server reflection (v1 and v1alpha) beside the test service, so that
   * operator tools (grpcurl, grpc_health_probe) can be pointed at it.
   */
  static Server start(int port, boolean useTls) throws java.io.IOException {
    HealthStatusManager health = new HealthStatusManager();
    ProtoReflectionService reflection = ProtoReflectionService.newInstance();
    ServerBuilder b =
        ServerBuilder.forPort(port)
            .addService(TestServiceImpl.service())
            .addService(health.getHealthService())
            .addService(reflection.bindService())
            .addService(reflection.bindServiceV1Alpha())
            // large_unary and friends send about 300 KB; leave room for very_large_request too.
            .maxInboundMessageSize(16 * 1024 * 1024);
    if (useTls) {
      b.tls(TestCa.serverCredentials());
    }
    Server server = b.build().start();
    health.setStatusOfAll(server, ServingStatus.SERVING);
    return server;
  }
}
