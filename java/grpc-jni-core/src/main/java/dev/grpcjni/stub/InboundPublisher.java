// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import dev.grpcjni.internal.call.SerializingExecutor;
import dev.grpcjni.internal.cq.DirectExecutor;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.util.concurrent.Flow;

/**
 * A call's incoming messages as a single-subscriber {@link Flow.Publisher}: the subscriber's {@code
 * request(n)} becomes the call's {@code request(n)}, so nothing is read that was not asked for.
 * Signals are serialized (never concurrent, in order) whatever thread subscribes.
 *
 * <p>A subscription that becomes unreachable while the stream is unfinished and nothing it
 * requested is still to come (so nothing could ever ask for the rest) cancels the call when the
 * garbage collector finds it: the native call must not live on. A subscription that requested
 * without bound is never treated as abandoned.
 */
final class InboundPublisher<T> implements Flow.Publisher<T> {
  /** The call behind the publisher. */
  public interface Source {
    void request(int n);

    void cancel(String reason);

    /**
     * The subscriber threw from a signal: end the call as failed by the application (the server
     * closes with UNKNOWN, the client cancels), as grpc-java does when a listener throws.
     */
    void fail(Throwable t);
  }

  private static final Logger logger = System.getLogger(InboundPublisher.class.getName());

  private static final Cleaner ABANDONED =
      Cleaner.create(
          dev.grpcjni.internal.cq.EventLoop.daemonThreads("grpc-jni-abandoned-streams-"));

  private final Source source;
  private final Abandonment abandonment;

  /**
   * What the cleaner needs to decide, kept apart from the publisher: the cleaner action must not
   * reach the subscription (through the publisher and its subscriber), or it would never become
   * unreachable.
   */
  private static final class Abandonment {
    final Source source;
    long outstanding; // requested and not yet delivered; guarded by this
    boolean unbounded; // guarded by this
    boolean ended; // guarded by this
    boolean abandoned; // the subscription was collected; guarded by this
    // The cleaner's registration. The cleaner holds this object, and through the source the call,
    // its listener, the publisher and the subscriber - who may keep the subscription: until it is
    // unregistered at the end of the stream, the subscription could never become unreachable.
    private Cleaner.Cleanable registration; // guarded by this

    Abandonment(Source source) {
      this.source = source;
    }

    /** Watches {@code subscription}; at once let go if the stream already ended. */
    void watch(Object subscription) {
      Cleaner.Cleanable r = ABANDONED.register(subscription, this::collected);
      boolean endedAlready;
      synchronized (this) {
        registration = r;
        endedAlready = ended;
      }
      if (endedAlready) {
        unregister();
      }
    }

    /** Drops the cleaner's hold (its action then finds the stream ended and does nothing). */
    private void unregister() {
      Cleaner.Cleanable r;
      synchronized (this) {
        r = registration;
        registration = null;
      }
      if (r != null) {
        r.clean();
      }
    }

    synchronized void requested(long n, boolean unboundedNow) {
      outstanding = Math.min(Long.MAX_VALUE / 2, outstanding + n);
      unbounded |= unboundedNow;
    }

    /** One requested message was delivered; cancels if that was the last one of an orphan. */
    void delivered() {
      boolean cancel;
      synchronized (this) {
        outstanding = Math.max(0, outstanding - 1);
        cancel = abandoned && !ended && !unbounded && outstanding == 0;
        ended |= cancel;
      }
      if (cancel) {
        source.cancel("Subscription abandoned before the stream ended");
      }
    }

    /** The stream ended (completed, failed or cancelled): nothing is left to watch. */
    void end() {
      synchronized (this) {
        ended = true;
      }
      unregister();
    }

    /** The cleaner action: the subscription is unreachable. */
    void collected() {
      boolean cancel;
      synchronized (this) {
        abandoned = true;
        cancel = !ended && !unbounded && outstanding == 0;
        ended |= cancel;
      }
      if (cancel) {
        source.cancel("Subscription abandoned before the stream ended");
      }
    }
  }

  private final SerializingExecutor signals = new SerializingExecutor(DirectExecutor.INSTANCE);
  private Flow.Subscriber<? super T> subscriber; // set once, under signals
  private boolean subscribed; // guarded by this
  private boolean done; // terminal signal seen; touched only under signals
  private boolean cancelled; // volatile enough: only a hint to stop signalling
  private volatile boolean unbounded;
  private Throwable pendingError; // a terminal signal that came before the subscriber
  private boolean pendingComplete;

  InboundPublisher(Source source) {
    this.source = source;
    this.abandonment = new Abandonment(source);
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> s) {
    synchronized (this) {
      if (subscribed) {
        signals.execute(
            () -> {
              s.onSubscribe(NOOP);
              s.onError(new IllegalStateException("this publisher allows one subscriber"));
            });
        return;
      }
      subscribed = true;
    }
    signals.execute(
        () -> {
          subscriber = s;
          Subscription subscription = new Subscription();
          abandonment.watch(subscription); // the action captures only the abandonment
          try {
            s.onSubscribe(subscription);
          } catch (Throwable t) {
            subscriberThrew(t);
            return;
          }
          if (pendingError != null) {
            fail(pendingError);
          } else if (pendingComplete) {
            complete();
          }
        });
  }

  /** Delivers one message; call only for messages the subscriber requested. */
  void next(T value) {
    signals.execute(
        () -> {
          if (!done && !cancelled && subscriber != null) {
            try {
              subscriber.onNext(value);
            } catch (Throwable t) {
              subscriberThrew(t);
              return;
            }
            if (unbounded) {
              source.request(1);
            }
            abandonment.delivered();
          }
        });
  }

  void complete() {
    signals.execute(
        () -> {
          if (subscriber == null) {
            pendingComplete = true;
          } else if (!done) {
            done = true;
            abandonment.end();
            if (!cancelled) {
              try {
                subscriber.onComplete();
              } catch (Throwable t) { // Reactive Streams 2.13; the stream is over already
                logger.log(Level.WARNING, "Subscriber.onComplete threw", t);
              }
            }
          }
        });
  }

  void fail(Throwable t) {
    signals.execute(
        () -> {
          if (subscriber == null) {
            pendingError = t;
          } else if (!done) {
            done = true;
            abandonment.end();
            if (!cancelled) {
              try {
                subscriber.onError(t);
              } catch (Throwable e) { // Reactive Streams 2.13; the stream is over already
                logger.log(Level.WARNING, "Subscriber.onError threw", e);
              }
            }
          }
        });
  }

  /**
   * The subscriber broke Reactive Streams 2.13 by throwing: its subscription is cancelled, the call
   * fails, and the subscriber hears {@code onError(t)} (as the JDK's {@code SubmissionPublisher}
   * does). Under signals.
   */
  private void subscriberThrew(Throwable t) {
    done = true;
    cancelled = true;
    abandonment.end();
    source.fail(t);
    try {
      subscriber.onError(t);
    } catch (Throwable e) {
      t.addSuppressed(e);
      logger.log(Level.WARNING, "Subscriber threw, then threw from onError", t);
    }
  }

  private final class Subscription implements Flow.Subscription {
    @Override
    public void request(long n) {
      if (n <= 0) {
        // Reactive Streams 3.9: signal onError even though the subscription ends here.
        signals.execute(
            () -> {
              if (!done) {
                done = true;
                subscriber.onError(
                    new IllegalArgumentException("request(n) needs n > 0 (rule 3.9): " + n));
              }
            });
        cancel();
        return;
      }
      if (cancelled) {
        return;
      }
      if (n >= Integer.MAX_VALUE) {
        // Unbounded (e.g. Long.MAX_VALUE): keep the call's demand topped up per message.
        unbounded = true;
        abandonment.requested(n, true);
        source.request(Integer.MAX_VALUE);
      } else {
        abandonment.requested(n, false);
        source.request((int) n);
      }
    }

    @Override
    public void cancel() {
      if (!cancelled) {
        cancelled = true;
        abandonment.end();
        source.cancel("Subscriber cancelled");
      }
    }
  }

  private static final Flow.Subscription NOOP =
      new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      };
}
