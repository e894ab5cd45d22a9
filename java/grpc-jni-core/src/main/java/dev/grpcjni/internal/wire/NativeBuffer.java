// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.wire;

import dev.grpcjni.codec.Marshaller;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A per-thread direct buffer whose native address is known, for passing encoded metadata and
 * messages to the shim (which copies them before returning) and for reading encoded results back.
 * No allocation per call once the buffer has grown to the size in use.
 *
 * <p>Usage: {@code acquire}, fill or read, {@code release}, all on one thread, with no other
 * acquire of the same thread in between; a nested acquire (a marshaller that makes an RPC) gets a
 * fresh buffer instead.
 */
public final class NativeBuffer {
  private static final int INITIAL_CAPACITY = 4096;

  /** Buffers grown past this are dropped at release, so one large message does not pin memory. */
  public static final int RETAINED_CAPACITY = 1 << 20;

  private static final ThreadLocal<NativeBuffer> LOCAL = ThreadLocal.withInitial(NativeBuffer::new);

  private ByteBuffer buffer;
  private long address;
  private boolean inUse;
  private int lastFill; // what the last fill's encoder returned

  /** What the encoder of the last {@link #fill} returned: its length or its (negative) error. */
  public int lastFill() {
    return lastFill;
  }

  private NativeBuffer() {
    allocate(INITIAL_CAPACITY);
  }

  /** This thread's buffer with at least {@code capacity} bytes, cleared, little-endian. */
  public static NativeBuffer acquire(int capacity) {
    NativeBuffer b = LOCAL.get();
    if (b.inUse) {
      b = new NativeBuffer();
    }
    b.inUse = true;
    b.ensureCapacity(capacity);
    return b;
  }

  /** Grows the buffer (contents are lost) and clears it. */
  public void ensureCapacity(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("negative capacity: " + capacity);
    }
    if (buffer.capacity() < capacity) {
      allocate(Math.max(capacity, Math.min(Integer.MAX_VALUE / 2, buffer.capacity()) * 2));
    }
    buffer.clear();
    buffer.order(ByteOrder.LITTLE_ENDIAN);
  }

  public ByteBuffer buffer() {
    return buffer;
  }

  /**
   * The size {@code marshaller} declares for {@code value}, checked to be non-negative.
   *
   * @throws IllegalStateException if the marshaller declared a negative size
   */
  public static <T> int sizeOf(Marshaller<T> marshaller, T value) {
    int size = marshaller.serializedSize(value);
    if (size < 0) {
      throw new IllegalStateException("marshaller declared a negative size: " + size);
    }
    return size;
  }

  /**
   * Writes {@code value} at {@code target}'s position, holding the marshaller to the {@code size}
   * it declared: it may not write past it, and writing less is an error too.
   *
   * @throws IllegalStateException if the marshaller wrote fewer bytes than declared
   */
  public static <T> void serialize(Marshaller<T> marshaller, T value, ByteBuffer target, int size) {
    int start = target.position();
    target.limit(start + size);
    marshaller.serialize(value, target);
    if (target.position() != start + size) {
      throw new IllegalStateException(
          "marshaller wrote " + (target.position() - start) + " bytes, declared " + size);
    }
  }

  /** Native address of byte 0 of {@link #buffer()}. */
  public long address() {
    return address;
  }

  public int capacity() {
    return buffer.capacity();
  }

  /** A shim function that encodes something of {@code handle} into (dst, capacity). */
  @FunctionalInterface
  public interface Encoder {
    /** Returns the encoded length; writes nothing when it exceeds capacity; negative on error. */
    int encode(long handle, long dst, int capacity);
  }

  /**
   * Runs {@code encoder} into this buffer, growing it and retrying while it was too small. Pass a
   * static method reference, so no object is allocated per call.
   *
   * @return the buffer with limit = encoded length, or null if the encoder reported an error
   */
  public ByteBuffer fill(Encoder encoder, long handle) {
    int n = encoder.encode(handle, address, buffer.capacity());
    while (n > buffer.capacity()) { // grown in between (a peer's name): again, at the new size
      ensureCapacity(n);
      n = encoder.encode(handle, address, buffer.capacity());
    }
    lastFill = n;
    if (n < 0) {
      return null;
    }
    buffer.clear();
    buffer.limit(n);
    return buffer;
  }

  public void release() {
    inUse = false;
    if (buffer.capacity() > RETAINED_CAPACITY) {
      allocate(INITIAL_CAPACITY);
    }
  }

  private void allocate(int capacity) {
    buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
    address = GrpcJniLib.grpcjni_address_of(buffer);
  }
}
