// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.reliability;

import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;

/**
 * The server scripts/chaos.sh kills, restarts and cuts off: {@link ReliabilityService} on the
 * address given ({@code ChaosServer HOST:PORT}), accepting client keepalive pings as often as every
 * 500 ms. Prints {@code listening on N} once serving; runs until killed.
 */
public final class ChaosServer {
  private ChaosServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("Usage: ChaosServer HOST:PORT");
      System.exit(2);
    }
    Server server =
        ServerBuilder.forAddress(args[0])
            .addService(ReliabilityService.definition())
            // The chaos client pings every second to find a dead peer; do not call that abuse.
            .channelArg("grpc.http2.min_ping_interval_without_data_ms", 500)
            .channelArg("grpc.keepalive_permit_without_calls", 1)
            .channelArg("grpc.http2.max_ping_strikes", 0)
            .build()
            .start();
    System.out.println("listening on " + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
