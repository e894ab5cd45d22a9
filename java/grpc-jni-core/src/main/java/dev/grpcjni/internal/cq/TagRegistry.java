// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.cq;

/**
 * Maps the {@code long} tags handed to the C core back to {@link CallTag}s.
 *
 * <pre>
 * Overview:
 *   A tag is   generation (bits 32-63) | slot index (bits 3-31) | op (bits 1-2) | 0 (bit 0).
 *   Bit 0 is left clear for the success bit grpcjni_cq_next ORs in. Slot 0 is never used, so no
 *   tag is 0 (GRPCJNI_CQ_TIMEOUT) or negative (GRPCJNI_CQ_SHUTDOWN).
 *   register() fills a free slot and bumps its generation; remove() empties it. A tag whose
 *   generation does not match its slot was already resolved: remove() returns null instead of
 *   resolving a tag twice or resolving the wrong one.
 *   One registry per completion queue: submitting threads register, that queue's poller removes,
 *   and a failed start removes at once (no event will come).
 * </pre>
 *
 * <p>Thread-safe. Each operation is a short critical section on this object.
 */
public final class TagRegistry {
  /** The largest {@code op} a tag can carry. */
  public static final int MAX_OP = 3;

  private static final int OP_BITS = 2;
  private static final int INDEX_SHIFT = 1 + OP_BITS;
  private static final int MAX_SLOTS = 1 << (31 - INDEX_SHIFT);

  private CallTag[] tags = new CallTag[64];
  private int[] generations = new int[64];
  private int[] free = new int[64]; // stack of free slot indexes
  private int freeCount;
  private int nextUnused = 1; // slots >= nextUnused were never used
  private int size;

  /** Registers {@code tag} for operation {@code op} and returns the key to post. */
  public synchronized long register(CallTag tag, int op) {
    if (op < 0 || op > MAX_OP) {
      throw new IllegalArgumentException("op out of range: " + op);
    }
    int index;
    if (freeCount > 0) {
      index = free[--freeCount];
    } else {
      if (nextUnused == tags.length) {
        grow();
      }
      index = nextUnused++;
    }
    tags[index] = tag;
    int generation = ++generations[index];
    size++;
    return ((long) generation << 32) | ((long) index << INDEX_SHIFT) | ((long) op << 1);
  }

  /**
   * Removes and returns the tag for {@code key} (the success bit is ignored), or null if that key
   * is not registered: never issued, already removed, or a stale generation.
   */
  public synchronized CallTag remove(long key) {
    int index = (int) ((key & 0xFFFF_FFFFL) >>> INDEX_SHIFT);
    int generation = (int) (key >>> 32);
    if (index <= 0 || index >= nextUnused || generations[index] != generation) {
      return null;
    }
    CallTag tag = tags[index];
    if (tag == null) {
      return null;
    }
    tags[index] = null;
    free[freeCount++] = index;
    size--;
    return tag;
  }

  /** The operation number encoded in {@code key}. */
  public static int opOf(long key) {
    return (int) (key >>> 1) & MAX_OP;
  }

  /** Number of registered tags: operations in flight on this queue. */
  public synchronized int size() {
    return size;
  }

  private void grow() {
    if (tags.length >= MAX_SLOTS) {
      throw new IllegalStateException("too many operations in flight: " + tags.length);
    }
    int n = Math.min(tags.length * 2, MAX_SLOTS);
    tags = java.util.Arrays.copyOf(tags, n);
    generations = java.util.Arrays.copyOf(generations, n);
    free = java.util.Arrays.copyOf(free, n);
  }
}
