// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Small Flow publishers and subscribers for tests. */
public final class Flows {
  private Flows() {}

  /**
   * A cold publisher of {@code count} items {@code item(0..count-1)} that emits only what was
   * requested (trampolined, so a synchronous request from onNext does not recurse). {@code emitted}
   * counts items handed to subscribers.
   */
  public static <T> Flow.Publisher<T> range(int count, IntFunction<T> item, AtomicInteger emitted) {
    return subscriber ->
        subscriber.onSubscribe(
            new Flow.Subscription() {
              private final AtomicLong demand = new AtomicLong();
              private final AtomicInteger wip = new AtomicInteger();
              private int next;
              private volatile boolean cancelled;

              @Override
              public void request(long n) {
                if (n <= 0) {
                  subscriber.onError(new IllegalArgumentException("n <= 0"));
                  return;
                }
                demand.getAndAccumulate(n, (a, b) -> Math.min(Long.MAX_VALUE, a + b));
                if (wip.getAndIncrement() != 0) {
                  return;
                }
                do {
                  while (!cancelled && demand.get() > 0 && next < count) {
                    demand.decrementAndGet();
                    emitted.incrementAndGet();
                    subscriber.onNext(item.apply(next++));
                  }
                  if (!cancelled && next == count) {
                    cancelled = true;
                    subscriber.onComplete();
                  }
                } while (wip.decrementAndGet() != 0);
              }

              @Override
              public void cancel() {
                cancelled = true;
              }
            });
  }

  public static <T> Flow.Publisher<T> range(int count, IntFunction<T> item) {
    return range(count, item, new AtomicInteger());
  }

  /** A publisher that fails at once. */
  public static <T> Flow.Publisher<T> failing(RuntimeException e) {
    return subscriber -> {
      subscriber.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
          });
      subscriber.onError(e);
    };
  }

  /** Counts messages and their bytes, requesting {@code batch} at a time; keeps none. */
  public static final class Counter implements Flow.Subscriber<byte[]> {
    private final int batch;
    private final CompletableFuture<long[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private int left;
    private long count;
    private long bytes;

    public Counter(int batch) {
      this.batch = batch;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      left = batch;
      s.request(batch);
    }

    @Override
    public void onNext(byte[] item) {
      count++;
      bytes += item.length;
      if (--left == 0) {
        left = batch;
        subscription.request(batch);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(new long[] {count, bytes});
    }

    /** Completes with {count, bytes}. */
    public CompletableFuture<long[]> result() {
      return result;
    }
  }

  /**
   * Collects everything, requesting {@code batch} at a time; {@link #result()} completes at the
   * end.
   */
  public static class Collector<T> implements Flow.Subscriber<T> {
    private final int batch;
    private final List<T> items = new ArrayList<>();
    private final CompletableFuture<List<T>> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private int left;

    public Collector(int batch) {
      this.batch = batch;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      left = batch;
      s.request(batch);
    }

    @Override
    public void onNext(T item) {
      items.add(item);
      if (--left == 0) {
        left = batch;
        subscription.request(batch);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(items);
    }

    public CompletableFuture<List<T>> result() {
      return result;
    }

    public Flow.Subscription subscription() {
      return subscription;
    }

    /** What arrived so far; read it after {@link #result()} completed, either way. */
    public List<T> items() {
      return items;
    }

    public synchronized int count() {
      return items.size();
    }
  }

  /** Passes a stream on to {@code downstream}, each item mapped by {@code map}. */
  public static final class Mapping<T, R> implements Flow.Subscriber<T> {
    private final Flow.Subscriber<? super R> downstream;
    private final Function<? super T, ? extends R> map;

    public Mapping(Flow.Subscriber<? super R> downstream, Function<? super T, ? extends R> map) {
      this.downstream = downstream;
      this.map = map;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      downstream.onSubscribe(s);
    }

    @Override
    public void onNext(T item) {
      downstream.onNext(map.apply(item));
    }

    @Override
    public void onError(Throwable t) {
      downstream.onError(t);
    }

    @Override
    public void onComplete() {
      downstream.onComplete();
    }
  }

  /** A publisher that emits nothing and never ends, until its subscription is cancelled. */
  public static <T> Flow.Publisher<T> never() {
    return subscriber ->
        subscriber.onSubscribe(
            new Flow.Subscription() {
              @Override
              public void request(long n) {}

              @Override
              public void cancel() {}
            });
  }
}
