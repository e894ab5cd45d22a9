// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

/**
 * Told of the life of a server a service is added to ({@link
 * ServiceDefinition.Builder#serverListener}): services that need to know their server use it —
 * reflection lists the server's other services, health checking answers NOT_SERVING and ends its
 * watches when the server shuts down, so that they do not hold a graceful shutdown open.
 *
 * <p>Methods are called on the thread that starts or shuts down the server; they should return
 * quickly. An exception they throw is logged and otherwise ignored.
 */
public interface ServerListener {
  /** The server is listening and serves this service. Called once per server. */
  default void serverStarted(Server server) {}

  /**
   * The server began to shut down ({@link Server#shutdown()} or {@link Server#shutdownNow()}, the
   * first of them): it accepts no new calls, and calls in flight may still finish. Called once per
   * server, also for one that never started.
   */
  default void serverShuttingDown(Server server) {}
}
