// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Context} and {@link Contexts} on their own, with grpc-java's semantics. */
class ContextTest {
  private static final Context.Key<String> FOOD = Context.keyWithDefault("food", "lasagna");
  private static final Context.Key<String> PET = Context.key("pet");

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    assertThat(Context.current()).as("every test detached what it attached").isSameAs(Context.ROOT);
  }

  @Test
  void valuesAreInheritedOverriddenAndDefaulted() {
    Context a = Context.ROOT.withValue(PET, "dog");
    Context b = a.withValue(FOOD, "pizza");
    Context c = b.withValue(PET, null);
    assertThat(PET.get(a)).isEqualTo("dog");
    assertThat(FOOD.get(a)).isEqualTo("lasagna");
    assertThat(PET.get(b)).isEqualTo("dog");
    assertThat(FOOD.get(b)).isEqualTo("pizza");
    assertThat(PET.get(c)).as("an explicit null hides the parent's").isNull();
    assertThat(Context.key("pet").get(b)).as("keys compare by identity").isNull();
    assertThat(PET.get()).isNull();
  }

  @Test
  void attachMakesCurrentAndDetachRestores() {
    Context c = Context.current().withValue(PET, "cat");
    Context previous = c.attach();
    try {
      assertThat(Context.current()).isSameAs(c);
      assertThat(PET.get()).isEqualTo("cat");
    } finally {
      c.detach(previous);
    }
    assertThat(PET.get()).isNull();
  }

  @Test
  void runCallAndWrapCarryTheContextToOtherThreads() throws Exception {
    Context c = Context.ROOT.withValue(PET, "fish");
    AtomicReference<String> seen = new AtomicReference<>();
    Thread t = new Thread(c.wrap(() -> seen.set(PET.get())));
    t.start();
    t.join();
    assertThat(seen.get()).isEqualTo("fish");
    assertThat(c.call(() -> PET.get())).isEqualTo("fish");
    java.util.concurrent.ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch done = new CountDownLatch(2);
      List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
      c.fixedContextExecutor(pool)
          .execute(
              () -> {
                heard.add(PET.get());
                done.countDown();
              });
      c.run(
          () ->
              Context.currentContextExecutor(pool)
                  .execute(
                      () -> {
                        heard.add(PET.get() + "!");
                        done.countDown();
                      }));
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(heard).containsExactlyInAnyOrder("fish", "fish!");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void cancellationReachesChildrenAndTheirListenersOnce() {
    Context.CancellableContext parent = Context.ROOT.withCancellation();
    Context child = parent.withValue(PET, "dog");
    Context.CancellableContext grandchild = child.withCancellation();
    List<String> heard = new ArrayList<>();
    child.addListener(ctx -> heard.add("child:" + (ctx == child)), Runnable::run);
    grandchild.addListener(ctx -> heard.add("grandchild"), Runnable::run);
    Context forked = child.fork();
    Exception cause = new Exception("stop");

    assertThat(parent.cancel(cause)).isTrue();
    assertThat(parent.cancel(new Exception("again"))).isFalse();
    assertThat(heard).containsExactly("child:true", "grandchild");
    assertThat(child.isCancelled()).isTrue();
    assertThat(grandchild.isCancelled()).isTrue();
    assertThat(grandchild.cancellationCause()).isSameAs(cause);
    assertThat(forked.isCancelled()).as("fork keeps values, not cancellation").isFalse();
    assertThat(PET.get(forked)).isEqualTo("dog");

    List<String> late = new ArrayList<>();
    child.addListener(ctx -> late.add("late"), Runnable::run);
    assertThat(late).as("a listener added after the cancel runs at once").containsExactly("late");
  }

  @Test
  void aCancelledChildLeavesItsParentAlone() {
    Context.CancellableContext parent = Context.ROOT.withCancellation();
    Context.CancellableContext child = parent.withCancellation();
    child.close();
    assertThat(child.isCancelled()).isTrue();
    assertThat(parent.isCancelled()).isFalse();
    assertThat(child.cancellationCause()).isNull();
  }

  @Test
  void removedListenersAreNotCalledAndNothingStaysRegistered() {
    Context.CancellableContext parent = Context.ROOT.withCancellation();
    Context.CancellableContext child = parent.withCancellation();
    List<String> heard = new ArrayList<>();
    Context.CancellationListener l = ctx -> heard.add("heard");
    child.addListener(l, Runnable::run);
    child.removeListener(l);
    parent.cancel(null);
    assertThat(heard).isEmpty();
    assertThat(child.isCancelled()).as("cascades without listeners too").isTrue();
  }

  @Test
  void aDeadlineCancelsWithATimeoutAndTheEarlierDeadlineWins() throws Exception {
    Context.CancellableContext c =
        Context.ROOT.withDeadline(Deadline.after(Duration.ofMillis(50)), scheduler);
    CountDownLatch cancelled = new CountDownLatch(1);
    c.addListener(ctx -> cancelled.countDown(), Runnable::run);
    assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(c.cancellationCause()).isInstanceOf(TimeoutException.class);
    assertThat(Contexts.statusFromCancelled(c).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

    Deadline soon = Deadline.after(Duration.ofSeconds(10));
    Context.CancellableContext outer = Context.ROOT.withDeadline(soon, scheduler);
    Context.CancellableContext inner =
        outer.withDeadline(Deadline.after(Duration.ofHours(1)), scheduler);
    assertThat(inner.getDeadline()).isSameAs(soon);
    assertThat(outer.withValue(PET, "x").getDeadline()).isSameAs(soon);
    outer.close();
    assertThat(inner.isCancelled()).isTrue();

    Context.CancellableContext expired =
        Context.ROOT.withDeadline(Deadline.after(Duration.ofNanos(1)), scheduler);
    Thread.sleep(1);
    Context.CancellableContext already =
        Context.ROOT.withDeadline(Deadline.after(Duration.ofNanos(-1)), scheduler);
    assertThat(already.isCancelled()).as("an expired deadline cancels at once").isTrue();
    expired.close();
  }

  @Test
  void attachingACancellableContextDoesNotHandOutItsCancel() {
    Context.CancellableContext c = Context.ROOT.withCancellation();
    Context previous = c.attach();
    try {
      assertThat(Context.current()).isNotInstanceOf(Context.CancellableContext.class);
      assertThat(c.isCurrent()).isTrue();
    } finally {
      c.detachAndCancel(previous, null);
    }
    assertThat(c.isCancelled()).isTrue();
  }

  @Test
  void statusFromCancelledFollowsTheCause() {
    assertThat(Contexts.statusFromCancelled(Context.ROOT)).isNull();
    Context.CancellableContext a = Context.ROOT.withCancellation();
    a.cancel(null);
    assertThat(Contexts.statusFromCancelled(a).code()).isEqualTo(Status.Code.CANCELLED);
    Context.CancellableContext b = Context.ROOT.withCancellation();
    b.cancel(Status.ABORTED.withDescription("why").asException());
    assertThat(Contexts.statusFromCancelled(b).code()).isEqualTo(Status.Code.ABORTED);
    Context.CancellableContext c = Context.ROOT.withCancellation();
    c.cancel(new IllegalStateException("bug"));
    Status s = Contexts.statusFromCancelled(c);
    assertThat(s.code()).isEqualTo(Status.Code.CANCELLED);
    assertThat(s.cause()).hasMessage("bug");
    assertThatThrownBy(() -> Contexts.statusFromCancelled(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aListenerThatThrowsDoesNotReachTheCanceller() {
    Context.CancellableContext c = Context.ROOT.withCancellation();
    c.addListener(
        ctx -> {
          throw new IllegalStateException("listener bug");
        },
        Runnable::run);
    assertThat(c.cancel(null)).isTrue();
  }
}
