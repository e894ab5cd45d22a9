// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A point in time by which an RPC must finish, measured on {@link System#nanoTime()}. The client
 * sends it as {@code grpc-timeout}; the server sees the time left when the call arrived.
 *
 * <p>Immutable and thread-safe.
 */
public final class Deadline implements Comparable<Deadline> {
  private final long nanoTime;

  private Deadline(long nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** A deadline {@code timeout} from now; very large timeouts saturate. */
  public static Deadline after(Duration timeout) {
    return afterNanos(saturatedNanos(timeout));
  }

  /** A deadline {@code duration} {@code unit}s from now. */
  public static Deadline after(long duration, TimeUnit unit) {
    return afterNanos(unit.toNanos(duration));
  }

  static Deadline afterNanos(long nanos) {
    long now = System.nanoTime();
    long at = now + nanos;
    // Saturate on overflow: ~292 years is as good as never.
    if (nanos > 0 && at < now) {
      at = Long.MAX_VALUE;
    }
    return new Deadline(at);
  }

  /** Time left, negative once expired. */
  public long timeRemaining(TimeUnit unit) {
    return unit.convert(nanosRemaining(), TimeUnit.NANOSECONDS);
  }

  /** Time left, negative once expired. */
  public Duration timeRemaining() {
    return Duration.ofNanos(nanosRemaining());
  }

  public boolean isExpired() {
    return nanosRemaining() <= 0;
  }

  /** The earlier of this and {@code other}. */
  public Deadline minimum(Deadline other) {
    return compareTo(other) <= 0 ? this : other;
  }

  long nanosRemaining() {
    return nanoTime - System.nanoTime();
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE;
    }
  }

  @Override
  public int compareTo(Deadline other) {
    return Long.compare(nanoTime - other.nanoTime, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Deadline && ((Deadline) o).nanoTime == nanoTime;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(nanoTime);
  }

  @Override
  public String toString() {
    long n = nanosRemaining();
    return String.format("Deadline[%s%.3fs from now]", n < 0 ? "-" : "", Math.abs(n) / 1e9);
  }
}
