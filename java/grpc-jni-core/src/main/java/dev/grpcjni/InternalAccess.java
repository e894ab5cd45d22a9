// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import dev.grpcjni.internal.ApiAccess;
import dev.grpcjni.internal.cq.EventLoop;

/** The API package's side of {@link ApiAccess}: registers itself when ApiAccess loads it. */
final class InternalAccess extends ApiAccess {
  static {
    register(new InternalAccess());
  }

  private InternalAccess() {}

  @Override
  public EventLoop eventLoop(Object environment) {
    return ((Environment) environment).eventLoop();
  }

  @Override
  public String metadataKey(Metadata metadata, int i) {
    return metadata.keyAt(i);
  }

  @Override
  public Object metadataValue(Metadata metadata, int i) {
    return metadata.valueAt(i);
  }

  @Override
  public Metadata newMetadata(int entries) {
    return new Metadata(entries);
  }

  @Override
  public void putUnchecked(Metadata metadata, String key, Object value) {
    metadata.putUnchecked(key, value);
  }

  @Override
  public void putStatusDetails(Metadata metadata, byte[] details) {
    metadata.putUnchecked(Metadata.STATUS_DETAILS_KEY, details.clone());
  }

  @Override
  public byte[] takeStatusDetails(Metadata metadata) {
    if (metadata.isEmpty()) {
      return null;
    }
    byte[] details = metadata.getBinary(Metadata.STATUS_DETAILS_KEY);
    metadata.removeAll(Metadata.STATUS_DETAILS_KEY);
    return details;
  }

  @Override
  public Metadata headersForCall(CallOptions options) {
    return options.headersForCall();
  }

  @Override
  public Object enterContext(Context.Source source) {
    return Context.enter(source);
  }

  @Override
  public void exitContext(Object previous) {
    Context.exit(previous);
  }

  @Override
  public Object enterContextRaw(Object raw) {
    Object previous = Context.currentRaw();
    Context.exit(raw);
    return previous;
  }

  @Override
  public Object currentContextRaw() {
    return Context.currentRaw();
  }

  @Override
  public Context contextOf(Object raw) {
    return raw == null
        ? Context.ROOT
        : raw instanceof Context ? (Context) raw : ((Context.Source) raw).toContext();
  }

  @Override
  public Deadline deadlineAfterNanos(long nanos) {
    return Deadline.afterNanos(nanos);
  }

  @Override
  public long nanosRemaining(Deadline deadline) {
    return deadline.nanosRemaining();
  }

  @Override
  public Context.CancellableContext cancellableOf(Context context) {
    return context.cancellable;
  }

  @Override
  public Context.CancellableContext cancelledWith(Context.CancellableContext context) {
    return context.cancelledWith();
  }
}
