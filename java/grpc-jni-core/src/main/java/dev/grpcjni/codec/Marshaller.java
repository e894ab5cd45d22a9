// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.codec;

import java.nio.ByteBuffer;

/**
 * Turns messages of type {@code T} into bytes and back. grpc-jni asks for the exact size first, so
 * the message can be written straight into memory the C core sends from.
 *
 * <p>Implementations must be thread-safe; they are called concurrently from many calls.
 *
 * @param <T> the message type
 */
public interface Marshaller<T> {
  /** The exact number of bytes {@link #serialize} will write for {@code value}. */
  int serializedSize(T value);

  /**
   * Writes {@code value} at {@code target}'s position, exactly {@link #serializedSize} bytes.
   * {@code target} may be a direct buffer over native memory; use it only during this call.
   */
  void serialize(T value, ByteBuffer target);

  /**
   * Reads a message from all remaining bytes of {@code source}. {@code source} may be read-only and
   * may be reused after this call returns, so copy what you keep. An exception fails the call with
   * INTERNAL.
   */
  T parse(ByteBuffer source);

  /**
   * Reads a message from {@code length} bytes of {@code bytes} at {@code offset}, which grpc-jni
   * copied out of native memory for this call alone: the array may be kept. The default wraps it
   * for {@link #parse(ByteBuffer)}; a marshaller that reads arrays directly overrides it to save
   * the wrapper.
   */
  default T parse(byte[] bytes, int offset, int length) {
    return parse(ByteBuffer.wrap(bytes, offset, length));
  }
}
