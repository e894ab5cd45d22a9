// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A scope that travels with the work of one request across threads and calls: values (keyed by
 * {@link Key}), a deadline, and cancellation. Shaped like grpc-java's {@code io.grpc.Context}.
 *
 * <p>Every server call's callbacks run with the call's context current ({@link #current()}): its
 * deadline is the client's, it is cancelled when the call ends, and a client call started with it
 * current (directly, or from code it {@linkplain #wrap wrapped}) inherits both, so that work done
 * for a request stops when the request does. Interceptors add values with {@link #withValue} and
 * {@link Contexts#interceptCall}.
 *
 * <pre>{@code
 * static final Context.Key<String> USER = Context.key("user");
 * // in a server interceptor:
 * return Contexts.interceptCall(Context.current().withValue(USER, user), call, next);
 * // in the handler, on any thread the work moves to:
 * executor.execute(Context.current().wrap(() -> stub.lookup(USER.get())));
 * }</pre>
 *
 * <p>A context is immutable: deriving one ({@link #withValue}, {@link #withCancellation}, {@link
 * #withDeadline}) makes a child, which sees its parent's values and is cancelled with it. {@link
 * #fork()} makes one that keeps the values but not the cancellation. Thread-safe.
 */
public class Context {
  private static final Logger logger = System.getLogger(Context.class.getName());

  /** The context with no values, deadline or cancellation: current when nothing else is. */
  public static final Context ROOT = new Context(null, null, null, null);

  /** The current context of each thread: a Context, a {@link Source}, or null for ROOT. */
  private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();

  /**
   * Not API: something that makes its context only when first asked for it (grpc-jni's server
   * calls, so that a handler that never looks costs nothing). May change in any release.
   */
  public interface Source {
    /** The context, made on the first call and the same one after. */
    Context toContext();
  }

  private final Context parent; // for values; null for ROOT
  private final Key<?> key; // this level's one value, or null
  private final Object value;
  final CancellableContext cancellable; // the nearest cancellable context, this one included

  private Context(Context parent, Key<?> key, Object value, CancellableContext cancellable) {
    this.parent = parent;
    this.key = key;
    this.value = value;
    this.cancellable = cancellable;
  }

  /** For {@link CancellableContext}, which is its own cancellable ancestor. */
  private Context(Context parent) {
    this.parent = parent;
    this.key = null;
    this.value = null;
    this.cancellable = (CancellableContext) this;
  }

  // ---- keys and values

  /**
   * A key for values of type {@code T}; keys compare by identity, {@code name} is for debugging.
   */
  public static <T> Key<T> key(String name) {
    return new Key<>(name, null);
  }

  /** A key whose {@link Key#get} gives {@code defaultValue} where no value is set. */
  public static <T> Key<T> keyWithDefault(String name, T defaultValue) {
    return new Key<>(name, defaultValue);
  }

  /** A key of context values. */
  public static final class Key<T> {
    private final String name;
    private final T defaultValue;

    private Key(String name, T defaultValue) {
      this.name = Objects.requireNonNull(name, "name");
      this.defaultValue = defaultValue;
    }

    /** The value in the current context. */
    public T get() {
      return get(Context.current());
    }

    /** The value in {@code context}, or the key's default if none (or null) is set. */
    @SuppressWarnings("unchecked")
    public T get(Context context) {
      for (Context c = context; c != null; c = c.parent) {
        if (c.key == this) {
          return c.value == null ? defaultValue : (T) c.value;
        }
      }
      return defaultValue;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A child with {@code value} for {@code key}; cancelled with this context. */
  public <V> Context withValue(Key<V> key, V value) {
    return new Context(this, Objects.requireNonNull(key, "key"), value, cancellable);
  }

  /** A child with two values. */
  public <V1, V2> Context withValues(Key<V1> k1, V1 v1, Key<V2> k2, V2 v2) {
    return withValue(k1, v1).withValue(k2, v2);
  }

  /** A child with three values. */
  public <V1, V2, V3> Context withValues(Key<V1> k1, V1 v1, Key<V2> k2, V2 v2, Key<V3> k3, V3 v3) {
    return withValue(k1, v1).withValue(k2, v2).withValue(k3, v3);
  }

  /**
   * A context with this one's values but neither its deadline nor its cancellation: for work that
   * must go on after the request that started it ends.
   */
  public Context fork() {
    return new Context(this, null, null, null);
  }

  /** A child that can be cancelled on its own, and is cancelled with this context. */
  public CancellableContext withCancellation() {
    return new CancellableContext(this, getDeadline(), null);
  }

  /**
   * A child cancelled at {@code deadline} (with a {@code TimeoutException} as the cause), or with
   * this context if that is sooner; this context's deadline if it is the earlier one.
   *
   * @param scheduler runs the deadline's timer
   */
  public CancellableContext withDeadline(Deadline deadline, ScheduledExecutorService scheduler) {
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(scheduler, "scheduler");
    Deadline current = getDeadline();
    if (current != null && current.compareTo(deadline) <= 0) {
      return new CancellableContext(this, current, null); // the earlier deadline cancels it
    }
    return new CancellableContext(this, deadline, scheduler);
  }

  /** {@link #withDeadline} {@code duration} from now. */
  public CancellableContext withDeadlineAfter(
      long duration, TimeUnit unit, ScheduledExecutorService scheduler) {
    return withDeadline(Deadline.after(duration, unit), scheduler);
  }

  // ---- cancellation

  /** True once this context (or an ancestor it is cancelled with) was cancelled. */
  public boolean isCancelled() {
    return cancellable != null && cancellable.isCancelled();
  }

  /**
   * Why it was cancelled (a {@code TimeoutException} for a deadline), or null: not cancelled, or
   * cancelled without a cause.
   */
  public Throwable cancellationCause() {
    return cancellable == null ? null : cancellable.cancellationCause();
  }

  /** The deadline this context is cancelled at, or null. */
  public Deadline getDeadline() {
    return cancellable == null ? null : cancellable.deadline;
  }

  /** Hears that a context was cancelled. */
  @FunctionalInterface
  public interface CancellationListener {
    /**
     * @param context the context the listener was added to
     */
    void cancelled(Context context);
  }

  /**
   * Runs {@code listener} on {@code executor} when this context is cancelled: at once if it already
   * is. Does nothing on a context that cannot be cancelled.
   */
  public void addListener(CancellationListener listener, Executor executor) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(executor, "executor");
    if (cancellable != null) {
      cancellable.add(new Registration(this, listener, executor));
    }
  }

  /** Removes what {@link #addListener} added with {@code listener} on this context. */
  public void removeListener(CancellationListener listener) {
    if (cancellable != null) {
      cancellable.remove(this, listener);
    }
  }

  // ---- current, attach, detach

  /**
   * The current thread's context; {@link #ROOT} if none is attached. Never a CancellableContext.
   */
  public static Context current() {
    Object c = CURRENT.get();
    if (c == null) {
      return ROOT;
    }
    return c instanceof Context ? (Context) c : ((Source) c).toContext();
  }

  /**
   * Makes this context the current one of this thread.
   *
   * @return the one it replaces, to give to {@link #detach} when done (in a {@code finally})
   */
  public Context attach() {
    Context previous = current();
    CURRENT.set(this == ROOT ? null : surrogate());
    return previous;
  }

  /**
   * What {@link #attach} makes current: a CancellableContext attaches a child that cannot cancel
   * it.
   */
  Context surrogate() {
    return this;
  }

  /**
   * Ends what {@link #attach} began, making {@code toRestore} current again. Logs if this context
   * was not the current one (attach and detach did not pair up), but restores anyway.
   */
  public void detach(Context toRestore) {
    Objects.requireNonNull(toRestore, "toRestore");
    Object c = CURRENT.get();
    Context now = c == null ? ROOT : c instanceof Context ? (Context) c : ((Source) c).toContext();
    if (now != surrogate()) {
      logger.log(Level.ERROR, "Context was not attached when detaching", new Throwable());
    }
    CURRENT.set(toRestore == ROOT ? null : toRestore);
  }

  /** Not API: makes {@code source} current without making its context; see {@link Source}. */
  static Object enter(Source source) {
    Object previous = CURRENT.get();
    CURRENT.set(source);
    return previous;
  }

  /** Not API: restores what {@link #enter} returned. */
  static void exit(Object previous) {
    CURRENT.set(previous);
  }

  /** Not API: what is current, without making a {@link Source}'s context (null for ROOT). */
  static Object currentRaw() {
    return CURRENT.get();
  }

  /** Runs {@code r} with this context current. */
  public void run(Runnable r) {
    Context previous = attach();
    try {
      r.run();
    } finally {
      detach(previous);
    }
  }

  /** Calls {@code c} with this context current. */
  public <V> V call(Callable<V> c) throws Exception {
    Context previous = attach();
    try {
      return c.call();
    } finally {
      detach(previous);
    }
  }

  /** {@code r}, to run with this context current wherever it runs. */
  public Runnable wrap(Runnable r) {
    Objects.requireNonNull(r, "runnable");
    return () -> run(r);
  }

  /** {@code c}, to be called with this context current wherever it is called. */
  public <V> Callable<V> wrap(Callable<V> c) {
    Objects.requireNonNull(c, "callable");
    return () -> call(c);
  }

  /** An executor running every task of {@code executor} with this context current. */
  public Executor fixedContextExecutor(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(wrap(task));
  }

  /** An executor running each task with the context current when it was submitted. */
  public static Executor currentContextExecutor(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(current().wrap(task));
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + (isCancelled() ? "{cancelled}" : getDeadline() != null ? "{" + getDeadline() + "}" : "");
  }

  /** A listener added to a context, and the context it was added to. */
  private static final class Registration implements Runnable {
    final Context context;
    final CancellationListener listener;
    final Executor executor;

    Registration(Context context, CancellationListener listener, Executor executor) {
      this.context = context;
      this.listener = listener;
      this.executor = executor;
    }

    void deliver() {
      try {
        executor.execute(this);
      } catch (Throwable t) {
        logger.log(Level.INFO, "Exception notifying context listener", t);
      }
    }

    @Override
    public void run() {
      listener.cancelled(context);
    }
  }

  /**
   * A context that can be cancelled: explicitly ({@link #cancel}, {@link #close}), at its deadline,
   * or with its parent. Attaching one makes current a child that cannot cancel it, so code called
   * with it current cannot end the scope of its caller.
   */
  public static class CancellableContext extends Context implements AutoCloseable {
    final Deadline deadline;
    private final Context surrogate;
    private List<Registration> listeners; // guarded by this; null once cancelled
    private boolean cancelled; // guarded by this
    private Throwable cause; // guarded by this
    private ScheduledFuture<?> timer; // guarded by this
    private CancellationListener cascade; // on the parent, while this has listeners

    /**
     * For subclasses (grpc-jni's server calls, which are cancelled when they end).
     *
     * @param deadline when this is cancelled, or null; a timer does it only with a {@code
     *     scheduler}
     */
    // The surrogate and the timer hold 'this' before a subclass is done; neither calls into it
    // before the constructor returns, except cancel() of an already expired deadline.
    @SuppressWarnings("this-escape")
    protected CancellableContext(
        Context parent, Deadline deadline, ScheduledExecutorService scheduler) {
      super(parent);
      this.deadline = deadline;
      this.surrogate = new Context(this, null, null, this);
      this.listeners = new ArrayList<>(2);
      if (deadline != null && scheduler != null) {
        if (deadline.isExpired()) {
          cancel(new TimeoutException("context timed out"));
        } else {
          ScheduledFuture<?> t =
              scheduler.schedule(
                  () -> cancel(new TimeoutException("context timed out")),
                  deadline.timeRemaining(TimeUnit.NANOSECONDS),
                  TimeUnit.NANOSECONDS);
          synchronized (this) {
            if (cancelled) {
              t.cancel(false);
            } else {
              timer = t;
            }
          }
        }
      }
      if (parent != null && parent.cancellable != null && parent.isCancelled()) {
        cancel(parent.cancellationCause());
      }
    }

    @Override
    Context surrogate() {
      return surrogate;
    }

    /**
     * Cancels this context and its descendants; the first call wins.
     *
     * @param cause why, or null
     * @return true for the call that cancelled
     */
    public boolean cancel(Throwable cause) {
      List<Registration> toNotify;
      ScheduledFuture<?> t;
      CancellationListener c;
      synchronized (this) {
        if (cancelled) {
          return false;
        }
        cancelled = true;
        this.cause = cause;
        toNotify = listeners;
        listeners = null;
        t = timer;
        timer = null;
        c = cascade;
        cascade = null;
      }
      if (t != null) {
        t.cancel(false);
      }
      Context p = parentContext();
      if (c != null && p != null) {
        p.removeListener(c);
      }
      if (toNotify != null) {
        // Listeners added here first, then those added through descendants.
        for (Registration r : toNotify) {
          if (r.context == this || r.context == surrogate) {
            r.deliver();
          }
        }
        for (Registration r : toNotify) {
          if (r.context != this && r.context != surrogate) {
            r.deliver();
          }
        }
      }
      return true;
    }

    /** {@link #cancel}s with {@code cause} after detaching (restoring {@code toAttach}). */
    public void detachAndCancel(Context toAttach, Throwable cause) {
      try {
        detach(toAttach);
      } finally {
        cancel(cause);
      }
    }

    /** Cancels without a cause. */
    @Override
    public void close() {
      cancel(null);
    }

    /** True while this context is the current one. */
    public boolean isCurrent() {
      return current() == surrogate;
    }

    @Override
    public boolean isCancelled() {
      synchronized (this) {
        if (cancelled) {
          return true;
        }
      }
      Context p = parentContext();
      if (p != null && p.isCancelled()) {
        cancel(p.cancellationCause()); // cascade, even without listeners
        return true;
      }
      return false;
    }

    @Override
    public Throwable cancellationCause() {
      if (!isCancelled()) {
        return null;
      }
      synchronized (this) {
        return cause;
      }
    }

    @Override
    public Deadline getDeadline() {
      return deadline;
    }

    private Context parentContext() {
      return super.parent;
    }

    /** The cancellable context this one is cancelled with, or null. */
    CancellableContext cancelledWith() {
      Context p = super.parent;
      return p == null ? null : p.cancellable;
    }

    void add(Registration r) {
      boolean now;
      boolean hook = false;
      synchronized (this) {
        now = cancelled;
        if (!now) {
          listeners.add(r);
          if (cascade == null) {
            Context p = parentContext();
            if (p != null && p.cancellable != null) {
              cascade = ctx -> cancel(p.cancellationCause());
              hook = true;
            }
          }
        }
      }
      if (now) {
        r.deliver();
      } else if (hook) {
        CancellationListener c;
        synchronized (this) {
          c = cascade;
        }
        if (c != null) {
          parentContext().addListener(c, Runnable::run);
        }
      }
    }

    void remove(Context context, CancellationListener listener) {
      CancellationListener unhook = null;
      synchronized (this) {
        if (listeners == null) {
          return;
        }
        for (int i = listeners.size() - 1; i >= 0; i--) {
          Registration r = listeners.get(i);
          if (r.listener == listener && r.context == context) {
            listeners.remove(i);
            break;
          }
        }
        if (listeners.isEmpty() && cascade != null) {
          unhook = cascade;
          cascade = null;
        }
      }
      if (unhook != null) {
        parentContext().removeListener(unhook);
      }
    }

    /** Listeners waiting; for tests. */
    synchronized int listenerCount() {
      return listeners == null ? 0 : listeners.size();
    }
  }
}
