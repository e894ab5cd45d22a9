// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Subscribes to a publisher of outgoing messages and writes them to a call, requesting one more
 * each time the C core accepted one: at most {@link #WINDOW} messages wait in memory, and a slow
 * peer slows the publisher down.
 *
 * <p>Calls to the subscription are serialized (Reactive Streams 2.7) without holding a lock while
 * calling into the publisher: a publisher that delivers synchronously under its own lock, while a
 * write completion asks for more on another thread, must not deadlock. Work that arrives while
 * another thread is calling the subscription is left for that thread (a work-in-progress counter,
 * which also stops request-onNext recursion).
 */
final class OutboundSubscriber<T> implements Flow.Subscriber<T> {
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

  private static final Logger logger = System.getLogger(OutboundSubscriber.class.getName());

  private final Sink<T> sink;
  private volatile Flow.Subscription subscription;
  private volatile boolean stopped;
  private final AtomicLong pendingRequests = new AtomicLong();
  private volatile boolean pendingCancel;
  private final AtomicInteger wip = new AtomicInteger();

  OutboundSubscriber(Sink<T> sink) {
    this.sink = sink;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    if (subscription != null || stopped) {
      s.cancel(); // Reactive Streams 2.5: one subscription at a time
      return;
    }
    subscription = s;
    request(WINDOW);
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
            request(1);
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
  void stop() {
    stopped = true;
    pendingCancel = true;
    drain();
  }

  private void request(long n) {
    pendingRequests.addAndGet(n);
    drain();
  }

  /** Calls the subscription for all pending work, one thread at a time, holding no lock. */
  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return; // the thread already draining picks this up
    }
    do {
      Flow.Subscription s = subscription;
      if (s != null) {
        if (pendingCancel) {
          pendingRequests.set(0);
          pendingCancel = false;
          try {
            s.cancel();
          } catch (Throwable t) { // Reactive Streams 3.15; nothing is left to stop
            logger.log(Level.WARNING, "Subscription.cancel threw", t);
          }
        } else if (!stopped) {
          long n = pendingRequests.getAndSet(0);
          if (n > 0) {
            try {
              s.request(n);
            } catch (Throwable t) {
              publisherThrew(t);
            }
          }
        }
      }
    } while (wip.decrementAndGet() != 0);
  }

  /**
   * The publisher broke Reactive Streams 3.16 by throwing from {@code request}: the call fails as
   * if the publisher had signalled the error, and the subscription is cancelled. In drain.
   */
  private void publisherThrew(Throwable t) {
    boolean first = !stopped;
    stopped = true;
    pendingCancel = true;
    if (first) {
      sink.fail(t);
    }
  }
}
