// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A grpc-java {@link Server} that is a grpc-jni server. */
final class GrpcJniServer extends Server {
  private final dev.grpcjni.server.Server server;
  private final List<ServerServiceDefinition> services;

  GrpcJniServer(dev.grpcjni.server.Server server, List<ServerServiceDefinition> services) {
    this.server = server;
    this.services = services;
  }

  @Override
  public Server start() throws IOException {
    server.start();
    Providers.LOG.log(Level.DEBUG, "grpc-jni: server on ports {0} on the C core", server.ports());
    return this;
  }

  @Override
  public int getPort() {
    try {
      return server.port();
    } catch (IllegalStateException e) {
      return -1; // not started, as grpc-java says
    }
  }

  @Override
  public List<? extends SocketAddress> getListenSockets() {
    List<InetSocketAddress> out = new ArrayList<>();
    List<Integer> ports;
    try {
      ports = server.ports();
    } catch (IllegalStateException e) {
      return out; // not started
    }
    for (int port : ports) {
      out.add(new InetSocketAddress(port));
    }
    return out;
  }

  @Override
  public List<ServerServiceDefinition> getServices() {
    return services;
  }

  @Override
  public List<ServerServiceDefinition> getImmutableServices() {
    return services;
  }

  @Override
  public Server shutdown() {
    server.shutdown();
    return this;
  }

  @Override
  public Server shutdownNow() {
    server.shutdownNow();
    return this;
  }

  @Override
  public boolean isShutdown() {
    return server.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return server.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return server.awaitTermination(Duration.ofNanos(unit.toNanos(timeout)));
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    while (!server.awaitTermination(Duration.ofDays(1))) {
      // until terminated
    }
  }

  @Override
  public String toString() {
    return "GrpcJniServer{" + server + "}";
  }
}
