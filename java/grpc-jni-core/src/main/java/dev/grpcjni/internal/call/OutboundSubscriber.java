// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Subscribes to a publisher of outgoing messages and writes them to a call, requesting one more
 * each time the C core accepted one: at most {@link #WINDOW} messages wait in memory, and a slow
 * peer slows the publisher down.
 */
public final class OutboundSubscriber<T> implements Flow.Subscriber<T> {
  /** Messages requested ahead of what the transport accepted. */
  static final int WINDOW = 4;

  /** The call behind the subscriber. */
  public interface Sink<T> {
    CompletableFuture<Void> write(T value);

    /** The publisher completed: half-close (client) or close with OK (server). */
    void complete();

    /** The publisher failed: cancel (client) or close with its status (server). */
    void fail(Throwable t);
  }

  private final Sink<T> sink;
  private volatile Flow.Subscription subscription;
  private volatile boolean stopped;

  public OutboundSubscriber(Sink<T> sink) {
    this.sink = sink;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    if (subscription != null || stopped) {
      s.cancel(); // Reactive Streams 2.5: one subscription at a time
      return;
    }
    subscription = s;
    s.request(WINDOW);
  }

  @Override
  public void onNext(T item) {
    if (stopped) {
      return;
    }
    CompletableFuture<Void> written;
    try {
      written = sink.write(item);
    } catch (RuntimeException e) {
      stop();
      sink.fail(e);
      return;
    }
    written.whenComplete(
        (v, error) -> {
          if (error == null) {
            Flow.Subscription s = subscription;
            if (!stopped && s != null) {
              synchronized (this) { // rule 2.7: subscription calls never concurrent
                s.request(1);
              }
            }
          } else {
            stop(); // the call ended; its status reaches the caller another way
          }
        });
  }

  @Override
  public void onError(Throwable t) {
    if (!stopped) {
      stopped = true;
      sink.fail(t);
    }
  }

  @Override
  public void onComplete() {
    if (!stopped) {
      stopped = true;
      sink.complete();
    }
  }

  /** Stops taking messages and cancels the publisher's subscription (the call ended). */
  public void stop() {
    stopped = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      synchronized (this) {
        s.cancel();
      }
    }
  }
}
