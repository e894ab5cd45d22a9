// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import dev.grpcjni.internal.cq.EventLoop;

/**
 * Not API: lets grpc-jni's internal packages reach package-private parts of this package. May
 * change or disappear in any release.
 */
public final class InternalAccess {
  private InternalAccess() {}

  public static EventLoop eventLoop(Environment environment) {
    return environment.eventLoop();
  }

  /** The key of entry {@code i} of {@code metadata}. */
  public static String metadataKey(Metadata metadata, int i) {
    return metadata.keyAt(i);
  }

  /** The value of entry {@code i}: a String, or the byte[] itself (not a copy) for -bin keys. */
  public static Object metadataValue(Metadata metadata, int i) {
    return metadata.valueAt(i);
  }

  /** An empty instance with room for {@code entries} entries. */
  public static Metadata newMetadata(int entries) {
    return new Metadata(entries);
  }

  /** Appends an entry without checks: for entries decoded from the wire. */
  public static void putUnchecked(Metadata metadata, String key, Object value) {
    metadata.putUnchecked(key, value);
  }

  /** Adds {@code grpc-status-details-bin}, which {@link Metadata#putBinary} refuses. */
  public static void putStatusDetails(Metadata metadata, byte[] details) {
    metadata.putUnchecked(Metadata.STATUS_DETAILS_KEY, details.clone());
  }

  /** Removes and returns the last {@code grpc-status-details-bin} value, or null. */
  public static byte[] takeStatusDetails(Metadata metadata) {
    if (metadata.isEmpty()) {
      return null;
    }
    byte[] details = metadata.getBinary(Metadata.STATUS_DETAILS_KEY);
    metadata.removeAll(Metadata.STATUS_DETAILS_KEY);
    return details;
  }

  /** The headers a call of {@code options} starts with: its headers plus its compression. */
  public static Metadata headersForCall(CallOptions options) {
    return options.headersForCall();
  }

  /** Makes {@code source} (a server call) the current context without making its context yet. */
  public static Object enterContext(Context.Source source) {
    return Context.enter(source);
  }

  /** Makes current again what {@link #enterContext} or {@link #currentContextRaw} gave. */
  public static void exitContext(Object previous) {
    Context.exit(previous);
  }

  /** Makes {@code raw} (from {@link #currentContextRaw}) current; returns what it replaces. */
  public static Object enterContextRaw(Object raw) {
    Object previous = Context.currentRaw();
    Context.exit(raw);
    return previous;
  }

  /** The current context as stored: null for ROOT, a Context, or a not yet made Source's. */
  public static Object currentContextRaw() {
    return Context.currentRaw();
  }

  /** The context {@code raw} (from {@link #currentContextRaw}) stands for. */
  public static Context contextOf(Object raw) {
    return raw == null
        ? Context.ROOT
        : raw instanceof Context ? (Context) raw : ((Context.Source) raw).toContext();
  }

  public static Deadline deadlineAfterNanos(long nanos) {
    return Deadline.afterNanos(nanos);
  }

  public static long nanosRemaining(Deadline deadline) {
    return deadline.nanosRemaining();
  }

  /** The nearest cancellable context of {@code context} (itself if it is one), or null. */
  public static Context.CancellableContext cancellableOf(Context context) {
    return context.cancellable;
  }

  /** The cancellable context {@code context} is cancelled with, or null. */
  public static Context.CancellableContext cancelledWith(Context.CancellableContext context) {
    return context.cancelledWith();
  }
}
