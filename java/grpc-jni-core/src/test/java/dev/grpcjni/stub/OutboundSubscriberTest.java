// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboundSubscriberTest {
  private final ExecutorService completions = Executors.newFixedThreadPool(2);

  @AfterEach
  void tearDown() {
    completions.shutdownNow();
  }

  /** Records writes; completes every other write at once and the rest on another thread. */
  private final class RecordingSink implements OutboundSubscriber.Sink<Integer> {
    final List<Integer> written = new ArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public synchronized CompletableFuture<Void> write(Integer value) {
      written.add(value);
      if (value % 2 == 0) {
        return CompletableFuture.completedFuture(null);
      }
      return CompletableFuture.runAsync(() -> {}, completions);
    }

    @Override
    public void complete() {
      done.complete(null);
    }

    @Override
    public void fail(Throwable t) {
      done.completeExceptionally(t);
    }
  }

  /**
   * A publisher that emits from its own thread while holding its lock, and takes the same lock in
   * request(): a write completing on another thread must not hold anything the emitter needs.
   */
  private static final class LockingPublisher implements Flow.Subscription {
    private final Object lock = new Object();
    private final int total;
    private final AtomicInteger concurrentCalls = new AtomicInteger();
    volatile boolean overlapped;
    private long demand;
    private int next;
    private boolean cancelled;
    private Flow.Subscriber<? super Integer> subscriber;

    LockingPublisher(int total) {
      this.total = total;
    }

    void start(Flow.Subscriber<? super Integer> s) {
      subscriber = s;
      s.onSubscribe(this);
      Thread emitter = new Thread(this::emit, "test-emitter");
      emitter.setDaemon(true);
      emitter.start();
    }

    private void emit() {
      synchronized (lock) {
        while (!cancelled && next < total) {
          while (demand == 0 && !cancelled) {
            try {
              lock.wait();
            } catch (InterruptedException e) {
              return;
            }
          }
          if (cancelled) {
            return;
          }
          demand--;
          subscriber.onNext(next++); // under the lock, as some synchronous publishers do
        }
        if (!cancelled) {
          subscriber.onComplete();
        }
      }
    }

    @Override
    public void request(long n) {
      enter();
      try {
        synchronized (lock) {
          demand += n;
          lock.notifyAll();
        }
      } finally {
        concurrentCalls.decrementAndGet();
      }
    }

    @Override
    public void cancel() {
      enter();
      try {
        synchronized (lock) {
          cancelled = true;
          lock.notifyAll();
        }
      } finally {
        concurrentCalls.decrementAndGet();
      }
    }

    private void enter() {
      if (concurrentCalls.incrementAndGet() != 1) {
        overlapped = true; // Reactive Streams 2.7 broken
      }
    }
  }

  @Test
  void lockingPublisherWithAsyncCompletionsDoesNotDeadlock() {
    int total = 50_000;
    RecordingSink sink = new RecordingSink();
    LockingPublisher publisher = new LockingPublisher(total);
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          publisher.start(new OutboundSubscriber<>(sink));
          sink.done.get();
        });
    assertThat(publisher.overlapped).as("concurrent subscription calls").isFalse();
    synchronized (sink) {
      assertThat(sink.written).hasSize(total);
      for (int i = 0; i < total; i++) {
        assertThat(sink.written.get(i)).isEqualTo(i);
      }
    }
  }

  @Test
  void stopCancelsTheSubscriptionAndDropsLaterItems() {
    RecordingSink sink = new RecordingSink();
    OutboundSubscriber<Integer> subscriber = new OutboundSubscriber<>(sink);
    AtomicInteger cancels = new AtomicInteger();
    List<Long> requests = new ArrayList<>();
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {
            requests.add(n);
          }

          @Override
          public void cancel() {
            cancels.incrementAndGet();
          }
        });
    assertThat(requests).containsExactly((long) OutboundSubscriber.WINDOW);
    subscriber.onNext(0); // completes at once: asks for one more
    assertThat(requests).containsExactly((long) OutboundSubscriber.WINDOW, 1L);
    subscriber.stop();
    assertThat(cancels.get()).isPositive();
    subscriber.onNext(2);
    subscriber.onComplete();
    assertThat(sink.written).containsExactly(0);
    assertThat(sink.done).isNotDone();
  }

  @Test
  void secondSubscriptionIsCancelled() {
    OutboundSubscriber<Integer> subscriber = new OutboundSubscriber<>(new RecordingSink());
    AtomicInteger cancels = new AtomicInteger();
    Flow.Subscription first = new NoopSubscription(new AtomicInteger());
    subscriber.onSubscribe(first);
    subscriber.onSubscribe(new NoopSubscription(cancels));
    assertThat(cancels.get()).isEqualTo(1);
  }

  @Test
  void throwingWriteFailsTheCallAndCancels() {
    AtomicInteger cancels = new AtomicInteger();
    CompletableFuture<Throwable> failed = new CompletableFuture<>();
    OutboundSubscriber<Integer> subscriber =
        new OutboundSubscriber<>(
            new OutboundSubscriber.Sink<>() {
              @Override
              public CompletableFuture<Void> write(Integer value) {
                throw new IllegalStateException("marshaller broke");
              }

              @Override
              public void complete() {}

              @Override
              public void fail(Throwable t) {
                failed.complete(t);
              }
            });
    subscriber.onSubscribe(new NoopSubscription(cancels));
    subscriber.onNext(1);
    assertThat(failed).isCompleted();
    assertThat(failed.join()).hasMessage("marshaller broke");
    assertThat(cancels.get()).isEqualTo(1);
  }

  private record NoopSubscription(AtomicInteger cancels) implements Flow.Subscription {
    @Override
    public void request(long n) {}

    @Override
    public void cancel() {
      cancels.incrementAndGet();
    }
  }
}
