// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import dev.grpcjni.Environment;
import dev.grpcjni.ServerCallHandler;
import dev.grpcjni.ServerCallTracer;
import dev.grpcjni.ServerInterceptor;
import dev.grpcjni.ServerInterceptors;
import dev.grpcjni.ServerMethodDefinition;
import dev.grpcjni.internal.ApiAccess;
import dev.grpcjni.internal.call.ServerDispatcher;
import dev.grpcjni.internal.cq.EventLoop;
import dev.grpcjni.internal.cq.Termination;
import dev.grpcjni.internal.transport.NativeServer;
import dev.grpcjni.internal.transport.TlsConfig;
import dev.grpcjni.internal.wire.ChannelArgs;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A gRPC server on the C core. Methods are registered with the core, so a unary request arrives
 * with its call in one event; calls to other methods go to the fallback handler ({@link
 * ServerBuilder#fallbackHandler}), or get UNIMPLEMENTED. Every call passes the server's
 * interceptors ({@link ServerBuilder#intercept}) before its service's and its handler.
 *
 * <p>Lifecycle as in grpc-java: {@link #start()}; {@link #shutdown()} stops accepting calls and
 * lets those in flight finish; {@link #shutdownNow()} also cancels them; {@link #awaitTermination}
 * waits. {@link #close()} is {@code shutdownNow} plus waiting.
 *
 * <p>Thread-safe.
 */
public final class Server implements AutoCloseable {
  private static final Logger logger = System.getLogger(Server.class.getName());
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final EventLoop loop;
  private final List<String> addresses;
  private final List<ServiceDefinition> services;
  private final List<ServerInterceptor> interceptors;
  private final ServerCallHandler<byte[], byte[]> fallback;
  private final ChannelArgs args;
  private final TlsConfig tls; // null: plaintext
  private final Executor executor;
  private final int requestSlotsPerMethod;
  private final List<ServerCallTracer.Factory> tracers; // empty: calls are not traced
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private NativeServer core; // guarded by this
  private boolean shutdown; // guarded by this

  Server(
      Environment environment,
      List<String> addresses,
      List<ServiceDefinition> services,
      List<ServerInterceptor> interceptors,
      ServerCallHandler<byte[], byte[]> fallback,
      ChannelArgs args,
      TlsConfig tls,
      Executor executor,
      int requestSlotsPerMethod,
      List<ServerCallTracer.Factory> tracers) {
    this.tracers = tracers;
    this.loop = ApiAccess.get().eventLoop(environment);
    this.addresses = addresses;
    this.services = services;
    this.interceptors = interceptors;
    this.fallback = fallback;
    this.args = args;
    this.tls = tls;
    this.executor = executor;
    this.requestSlotsPerMethod = requestSlotsPerMethod;
  }

  /**
   * Binds every address and starts serving.
   *
   * @return this
   * @throws IOException if an address cannot be bound (the server is then shut down)
   * @throws IllegalStateException if already started or shut down, or the environment is closed
   * @throws IllegalArgumentException if two services define the same method
   */
  public synchronized Server start() throws IOException {
    if (core != null || shutdown) {
      throw new IllegalStateException(shutdown ? "server is shut down" : "server already started");
    }
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServiceDefinition s : services) {
      for (ServerMethodDefinition<?, ?> m : s.methods()) {
        methods.add(ServerInterceptors.intercept(m, interceptors));
      }
    }
    ServerDispatcher dispatcher =
        new ServerDispatcher(
            methods,
            fallback == null ? null : ServerInterceptors.intercept(fallback, interceptors),
            executor,
            tracers,
            args.get("grpc.default_compression_algorithm") instanceof Integer c && c != 0);
    loop.addServer(this);
    NativeServer c;
    try {
      c =
          new NativeServer(
              loop, args, dispatcher.nativeMethods(), dispatcher, requestSlotsPerMethod);
    } catch (RuntimeException e) {
      loop.remove(this);
      throw e;
    }
    core = c;
    c.terminationFuture()
        .whenComplete(
            (v, e) -> {
              loop.remove(this);
              terminated.complete(null);
            });
    c.start(addresses, tls);
    for (ServiceDefinition s : services) {
      for (ServerListener l : s.serverListeners()) {
        tell(l, true);
      }
    }
    return this;
  }

  private void tell(ServerListener listener, boolean started) {
    try {
      if (started) {
        listener.serverStarted(this);
      } else {
        listener.serverShuttingDown(this);
      }
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "server listener " + listener + " failed", e);
    }
  }

  /**
   * The services this server serves, in the order they were added (as given to {@link
   * ServerBuilder#addService}, before server-wide interceptors).
   */
  public List<ServiceDefinition> services() {
    return services;
  }

  /**
   * The first bound port (the one chosen for port 0).
   *
   * @throws IllegalStateException if not started
   */
  public int port() {
    return ports().get(0);
  }

  /** The bound ports, one per address, in order. */
  public synchronized List<Integer> ports() {
    if (core == null) {
      throw new IllegalStateException("server not started");
    }
    return core.ports();
  }

  /**
   * Stops accepting calls; calls in flight finish. Idempotent.
   *
   * <p>Each connection gets a GOAWAY at once (clients open new calls elsewhere) and stays up while
   * it has calls in flight. When its last call ends, the C core closes the TCP connection right
   * away, without waiting for the client to read what was just written. A frame the client sends in
   * that instant (a flow-control update as it reads, a ping) makes the server's kernel reset the
   * connection, and responses still in transit are lost: the client then sees {@code UNAVAILABLE}
   * for a call the server finished. This is a race in the C core's HTTP/2 transport (grpc-go's
   * server has the same one); it hits calls that end together with the connection's last one, most
   * often when many end at once. The server side always ends cleanly. Clients should treat {@code
   * UNAVAILABLE} as the retryable code it is.
   *
   * @return completes when the server is terminated
   */
  public CompletableFuture<Void> shutdown() {
    NativeServer c;
    boolean first;
    synchronized (this) {
      first = !shutdown;
      shutdown = true;
      c = core;
    }
    if (first) {
      for (ServiceDefinition s : services) {
        for (ServerListener l : s.serverListeners()) {
          tell(l, false);
        }
      }
    }
    if (c == null) {
      terminated.complete(null);
    } else {
      c.shutdown();
    }
    return terminated.copy();
  }

  /** Stops accepting calls and cancels those in flight. Idempotent. */
  public CompletableFuture<Void> shutdownNow() {
    CompletableFuture<Void> f = shutdown();
    NativeServer c;
    synchronized (this) {
      c = core;
    }
    if (c != null) {
      c.shutdownNow();
    }
    return f;
  }

  public synchronized boolean isShutdown() {
    return shutdown;
  }

  /** True once shut down, every call finished, and the native server destroyed. */
  public boolean isTerminated() {
    return terminated.isDone();
  }

  /** Waits until terminated; false if {@code timeout} elapsed first. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return Termination.await(terminated, timeout);
  }

  /** Completes when the server is terminated; does not start a shutdown. */
  public CompletableFuture<Void> terminationFuture() {
    return terminated.copy();
  }

  /** {@link #shutdownNow()}, then waits for termination (30 s at most). Idempotent. */
  @Override
  public void close() {
    Termination.shutdownNowAndWait(this::shutdownNow, terminated, CLOSE_TIMEOUT, this, logger);
  }

  @Override
  public synchronized String toString() {
    return "Server{"
        + addresses
        + (core != null ? ", ports=" + core.ports() : "")
        + (shutdown ? ", shut down" : "")
        + "}";
  }
}
