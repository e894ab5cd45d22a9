// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.jmh;

import dev.grpcjni.internal.cq.CallTag;
import dev.grpcjni.internal.cq.CompletionQueue;
import dev.grpcjni.internal.cq.EventLoop;
import dev.grpcjni.internal.cq.TagRegistry;
import java.lang.reflect.Field;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Java side of one completion-queue operation, without network traffic: a call start's {@link
 * CompletionQueue#beginOp}/{@link CompletionQueue#endOp} (admission reference, tag registration),
 * then what the poller does with the event {@code grpcjni_cq_next} returns (registry lookup and
 * removal, {@link CallTag#complete}), up to a completed {@link CompletableFuture}.
 *
 * <p>Runs on a real queue of a real {@link EventLoop}, but on one thread: the poller's half runs on
 * the benchmark thread, so the lock hand-over between a submitting thread and the poller is not
 * part of it (the round-trip benchmark has it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventToFutureBenchmark {
  private static final Object RESULT = new Object();
  private static final CallTag NOOP = (op, success) -> {};

  private EventLoop loop;
  private CompletionQueue queue;
  private TagRegistry tags;

  /** Where the tag completes its future, as a call's executor. */
  @State(Scope.Thread)
  public static class Completion {
    /** inline: on the polling thread (a direct executor); executor: the loop's default pool. */
    @Param({"inline", "executor"})
    public String completion;

    Executor executor;

    @Setup(Level.Trial)
    public void setUp(EventToFutureBenchmark benchmark) {
      executor =
          switch (completion) {
            case "inline" -> Runnable::run;
            case "executor" -> benchmark.loop.executor();
            default -> throw new IllegalArgumentException("completion: inline or executor");
          };
    }
  }

  /** A tag that completes its future, as a unary call's tag does once it decoded its result. */
  static final class FutureTag implements CallTag {
    final CompletableFuture<Object> future = new CompletableFuture<>();
    private final Executor executor;

    FutureTag(Executor executor) {
      this.executor = executor;
    }

    @Override
    public void complete(int op, boolean success) {
      executor.execute(() -> future.complete(RESULT));
    }
  }

  @Setup(Level.Trial)
  public void start() throws ReflectiveOperationException {
    loop = new EventLoop(1, null);
    queue = loop.queues()[0];
    // The poller's registry, private to the queue. Keep in sync with CompletionQueue.tags.
    Field f = CompletionQueue.class.getDeclaredField("tags");
    f.setAccessible(true);
    tags = (TagRegistry) f.get(queue);
  }

  @TearDown(Level.Trial)
  public void stop() {
    loop.close();
  }

  /** Admission and tag bookkeeping alone: beginOp, endOp, and the poller's registry removal. */
  @Benchmark
  public CallTag registerAndResolve() {
    long key = queue.beginOp(NOOP, 0);
    queue.endOp(key, true);
    return tags.remove(key | 1); // | 1: the success bit grpcjni_cq_next ORs in
  }

  /** From call start to completed future: bookkeeping, a tag and its future, its completion. */
  @Benchmark
  public Object eventToFuture(Completion c) {
    FutureTag tag = new FutureTag(c.executor);
    long key = queue.beginOp(tag, 0);
    queue.endOp(key, true);
    // As CompletionQueue.poll does with the event grpcjni_cq_next returned.
    long event = key | 1;
    CallTag resolved = tags.remove(event);
    resolved.complete(TagRegistry.opOf(event), (event & 1) != 0);
    return tag.future.join();
  }
}
