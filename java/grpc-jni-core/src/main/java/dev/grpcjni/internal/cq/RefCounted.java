// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.cq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Guards a native object so that it is freed exactly once, and only when no thread can still pass
 * its handle to native code (the grpc-rs {@code cq.rs} ref_cnt scheme).
 *
 * <p>The owner holds one reference from construction. Every other use of the native handle is
 * bracketed by {@link #tryRetain()} and {@link #release()}. {@link #close()} stops new retains and
 * drops the owner's reference; {@link #free()} runs on whichever thread drops the last one. A
 * handle used after {@code close()} is therefore refused in Java, never passed to native code.
 */
public abstract class RefCounted {
  private static final int CLOSING = Integer.MIN_VALUE;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(RefCounted.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Sign bit: closing; the other bits: references held, the owner's included. */
  @SuppressWarnings("unused") // accessed through STATE
  private volatile int state = 1;

  /**
   * Takes a reference unless closing.
   *
   * @return false once {@link #close()} was called; the handle must not be used then
   */
  public final boolean tryRetain() {
    for (; ; ) {
      int s = state;
      if (s < 0) {
        return false;
      }
      if (STATE.compareAndSet(this, s, s + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference taken by {@link #tryRetain()}. */
  public final void release() {
    int s = (int) STATE.getAndAdd(this, -1) - 1;
    if (s == CLOSING) {
      free();
    } else if ((s & ~CLOSING) == Integer.MAX_VALUE || s == 0) {
      throw new IllegalStateException("released more often than retained");
    }
  }

  /**
   * Stops further retains and drops the owner's reference. Idempotent.
   *
   * @return true for the call that closed
   */
  public final boolean close() {
    for (; ; ) {
      int s = state;
      if (s < 0) {
        return false;
      }
      if (STATE.compareAndSet(this, s, s | CLOSING)) {
        release();
        return true;
      }
    }
  }

  /** True once {@link #close()} was called, even while references remain. */
  public final boolean isClosed() {
    return state < 0;
  }

  /** True once the native object was freed. */
  public final boolean isFreed() {
    return state == CLOSING;
  }

  /** Frees the native object. Called exactly once, by the thread that drops the last reference. */
  protected abstract void free();
}
