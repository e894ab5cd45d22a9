// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal;

import dev.grpcjni.internal.cq.EventLoop;

/**
 * How grpc-jni's internal packages reach package-private parts of the API package, which implements
 * this class ({@code dev.grpcjni.InternalAccess}) and registers it when this class loads. In a
 * package the module does not export, so the API package shows no such door.
 */
public abstract class ApiAccess {
  private static ApiAccess registered;
  private static final ApiAccess INSTANCE = load();

  private static ApiAccess load() {
    try {
      Class.forName("dev.grpcjni.InternalAccess", true, ApiAccess.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
    if (registered == null) {
      throw new ExceptionInInitializerError("dev.grpcjni.InternalAccess did not register");
    }
    return registered;
  }

  /** The API package's implementation. */
  public static ApiAccess get() {
    return INSTANCE;
  }

  /** Called once, by the API package's implementation as it loads. */
  protected static synchronized void register(ApiAccess access) {
    if (registered != null) {
      throw new IllegalStateException("already registered");
    }
    registered = access;
  }

  protected ApiAccess() {}

  /**
   * The event loop of {@code environment}, an environment of the API's facades: typed Object so
   * that nothing below them names the facade that owns the loop.
   *
   * @throws ClassCastException if {@code environment} is no environment
   */
  public abstract EventLoop eventLoop(Object environment);

  /** The key of entry {@code i} of {@code metadata}. */
  public abstract String metadataKey(dev.grpcjni.Metadata metadata, int i);

  /** The value of entry {@code i}: a String, or the byte[] itself (not a copy) for -bin keys. */
  public abstract Object metadataValue(dev.grpcjni.Metadata metadata, int i);

  /** An empty instance with room for {@code entries} entries. */
  public abstract dev.grpcjni.Metadata newMetadata(int entries);

  /** Appends an entry without checks: for entries decoded from the wire. */
  public abstract void putUnchecked(dev.grpcjni.Metadata metadata, String key, Object value);

  /** Adds {@code grpc-status-details-bin}, which {@link dev.grpcjni.Metadata#putBinary} refuses. */
  public abstract void putStatusDetails(dev.grpcjni.Metadata metadata, byte[] details);

  /** Removes and returns the last {@code grpc-status-details-bin} value, or null. */
  public abstract byte[] takeStatusDetails(dev.grpcjni.Metadata metadata);

  /** The headers a call of {@code options} starts with: its headers plus its compression. */
  public abstract dev.grpcjni.Metadata headersForCall(dev.grpcjni.CallOptions options);

  /** Makes {@code source} (a server call) the current context without making its context yet. */
  public abstract Object enterContext(dev.grpcjni.Context.Source source);

  /** Makes current again what {@link #enterContext} or {@link #currentContextRaw} gave. */
  public abstract void exitContext(Object previous);

  /** Makes {@code raw} (from {@link #currentContextRaw}) current; returns what it replaces. */
  public abstract Object enterContextRaw(Object raw);

  /**
   * The current context as stored: null for ROOT, a dev.grpcjni.Context, or a not yet made
   * Source's.
   */
  public abstract Object currentContextRaw();

  /** The context {@code raw} (from {@link #currentContextRaw}) stands for. */
  public abstract dev.grpcjni.Context contextOf(Object raw);

  public abstract dev.grpcjni.Deadline deadlineAfterNanos(long nanos);

  public abstract long nanosRemaining(dev.grpcjni.Deadline deadline);

  /** The nearest cancellable context of {@code context} (itself if it is one), or null. */
  public abstract dev.grpcjni.Context.CancellableContext cancellableOf(dev.grpcjni.Context context);

  /** The cancellable context {@code context} is cancelled with, or null. */
  public abstract dev.grpcjni.Context.CancellableContext cancelledWith(
      dev.grpcjni.Context.CancellableContext context);
}
