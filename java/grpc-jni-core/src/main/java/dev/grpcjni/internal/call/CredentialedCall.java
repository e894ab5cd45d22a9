// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.CallCredentials;
import dev.grpcjni.ClientCall;
import dev.grpcjni.Deadline;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client call whose start waits for its {@link CallCredentials}: {@code start} asks them for
 * metadata, and the call under it starts, with those headers added, once they came. What the caller
 * does meanwhile (request, send, half-close, compression) is kept in order and replayed right after
 * that start, so a unary call still leaves as one fused batch. If the credentials fail, the
 * deadline passes or the caller cancels first, the call under it never starts, the listener gets
 * only {@code onClose}, and queued sends fail with that status.
 *
 * <pre>
 *   state (guarded by this): WAITING -> STARTED (delegate started; `pending` replayed batch by
 *                                               batch, and dropped once found empty)
 *                                    -> CLOSED  (closed without starting; `pending` dropped)
 * </pre>
 *
 * <p>Thread-safe as {@link ClientCall} requires: the credentials' future may complete on any
 * thread.
 */
public final class CredentialedCall<ReqT, RespT> implements ClientCall<ReqT, RespT> {
  private final ClientCall<ReqT, RespT> delegate;
  private final CallCredentials credentials;
  private final CallCredentials.RequestInfo info;
  private final boolean permitted;
  private final Executor executor;
  private final Deadline deadline;

  private Listener<RespT> listener; // guarded by this
  private Metadata headers; // guarded by this: start()'s
  private boolean started; // guarded by this: the delegate is started
  private boolean closed; // guarded by this: closed without starting
  private Status closedWith; // guarded by this
  private List<Runnable> pending = new ArrayList<>(); // guarded by this; null once not WAITING
  private List<CompletableFuture<Void>> pendingSends = new ArrayList<>(); // guarded by this

  /**
   * @param permitted whether the channel lets credentials go out (secure, or allowed plaintext)
   * @param executor where the listener runs when the call closes without starting
   * @param deadline the call's deadline, or null
   */
  public CredentialedCall(
      ClientCall<ReqT, RespT> delegate,
      CallCredentials credentials,
      CallCredentials.RequestInfo info,
      boolean permitted,
      Executor executor,
      Deadline deadline) {
    this.delegate = delegate;
    this.credentials = credentials;
    this.info = info;
    this.permitted = permitted;
    this.executor = executor;
    this.deadline = deadline;
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    synchronized (this) {
      if (this.listener != null) {
        throw new IllegalStateException("call already started");
      }
      this.listener = java.util.Objects.requireNonNull(listener, "listener");
      this.headers = headers;
    }
    if (delegate instanceof ClientCallImpl) {
      // Its JFR event starts now: the wait for the credentials is part of the call.
      ((ClientCallImpl<ReqT, RespT>) delegate).beginFlight();
    }
    if (!permitted) {
      close(
          Status.UNAUTHENTICATED.withDescription(
              "call credentials need a secure channel (TLS or local credentials);"
                  + " ChannelBuilder.allowCallCredentialsOnPlaintext() permits them"));
      return;
    }
    CompletableFuture<Metadata> metadata;
    try {
      metadata = credentials.requestMetadata(info);
      if (metadata == null) {
        throw new NullPointerException("call credentials returned null");
      }
    } catch (RuntimeException e) {
      close(failure(e));
      return;
    }
    if (deadline != null && !metadata.isDone()) {
      metadata =
          metadata
              .copy()
              .orTimeout(
                  Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)), TimeUnit.NANOSECONDS);
    }
    metadata.whenComplete(
        (md, error) -> {
          if (error != null) {
            Throwable cause =
                error instanceof java.util.concurrent.CompletionException
                        && error.getCause() != null
                    ? error.getCause()
                    : error;
            close(
                cause instanceof TimeoutException
                    ? Status.DEADLINE_EXCEEDED.withDescription(
                        "deadline passed while waiting for call credentials")
                    : failure(cause));
          } else {
            startDelegate(merge(headers, md));
          }
        });
  }

  private static Status failure(Throwable e) {
    return e instanceof StatusException
        ? ((StatusException) e).status()
        : Status.UNAUTHENTICATED.withDescription("call credentials failed: " + e).withCause(e);
  }

  private static Metadata merge(Metadata headers, Metadata fromCredentials) {
    if (fromCredentials == null) {
      return headers;
    }
    Metadata m = headers == null ? new Metadata() : new Metadata(headers);
    m.merge(fromCredentials);
    return m;
  }

  private void startDelegate(Metadata headers) {
    synchronized (this) {
      if (closed) {
        return;
      }
      delegate.start(listener, headers);
      started = true;
    }
    // Replay outside the lock, batch after batch: what the caller does meanwhile joins the queue,
    // so nothing overtakes what came before it (as grpc-java's DelayedClientCall drains).
    while (true) {
      List<Runnable> batch;
      synchronized (this) {
        if (pending.isEmpty()) {
          pending = null;
          pendingSends = null;
          return;
        }
        batch = pending;
        pending = new ArrayList<>();
      }
      for (Runnable r : batch) {
        r.run();
      }
    }
  }

  /** Closes the call without starting it, once. */
  private void close(Status status) {
    Listener<RespT> l;
    Metadata h;
    List<CompletableFuture<Void>> sends;
    synchronized (this) {
      if (started || closed) {
        return;
      }
      closed = true;
      closedWith = status;
      l = listener;
      h = headers;
      sends = pendingSends;
      pending = null;
      pendingSends = null;
    }
    for (CompletableFuture<Void> f : sends) {
      f.completeExceptionally(status.asException());
    }
    if (l == null) {
      return;
    }
    if (delegate instanceof ClientCallImpl) {
      // The engine ends it, never sent, as a call cancelled before its start: onClose on the
      // call's executor, and its tracers see the close too.
      ClientCallImpl<ReqT, RespT> engine = (ClientCallImpl<ReqT, RespT>) delegate;
      engine.cancel(status);
      engine.start(l, h);
    } else {
      executor.execute(() -> l.onClose(status, new Metadata()));
    }
  }

  /** Runs {@code op} now if started, later if still waiting; drops it if closed without start. */
  private void whenStarted(Runnable op) {
    synchronized (this) {
      if (pending != null) {
        pending.add(op);
        return;
      }
      if (closed) {
        return;
      }
    }
    op.run();
  }

  @Override
  public void request(int numMessages) {
    whenStarted(() -> delegate.request(numMessages));
  }

  @Override
  public CompletableFuture<Void> sendMessage(ReqT message) {
    synchronized (this) {
      if (listener == null) {
        throw new IllegalStateException("call not started");
      }
      if (closed) {
        return CompletableFuture.failedFuture(closedWith.asException());
      }
      if (pending != null) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pendingSends.add(f);
        pending.add(
            () ->
                delegate
                    .sendMessage(message)
                    .whenComplete(
                        (v, e) -> {
                          if (e != null) {
                            f.completeExceptionally(e);
                          } else {
                            f.complete(null);
                          }
                        }));
        return f;
      }
    }
    return delegate.sendMessage(message);
  }

  @Override
  public void sendUnobserved(ReqT message) {
    synchronized (this) {
      if (listener == null) {
        throw new IllegalStateException("call not started");
      }
      if (closed) {
        return; // its close says why
      }
      if (pending != null) {
        pending.add(() -> delegate.sendUnobserved(message));
        return;
      }
    }
    delegate.sendUnobserved(message);
  }

  @Override
  public void halfClose() {
    whenStarted(delegate::halfClose);
  }

  @Override
  public void cancel(String message, Throwable cause) {
    boolean wasStarted;
    synchronized (this) {
      wasStarted = started;
    }
    if (!wasStarted) {
      // Nothing reached the network yet: close without starting.
      close(Status.CANCELLED.withDescription(message).withCause(cause));
      synchronized (this) {
        wasStarted = started; // it started meanwhile: cancel it there
      }
    }
    if (wasStarted) {
      delegate.cancel(message, cause);
    }
  }

  @Override
  public boolean isReady() {
    synchronized (this) {
      if (!started || pending != null) {
        return false; // still starting, or replaying what came first
      }
    }
    return delegate.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    whenStarted(() -> delegate.setMessageCompression(enabled));
  }

  @Override
  public boolean wasLastMessageCompressed() {
    return delegate.wasLastMessageCompressed();
  }

  @Override
  public String peer() {
    return delegate.peer();
  }

  @Override
  public dev.grpcjni.AuthContext authContext() {
    return delegate.authContext();
  }
}
