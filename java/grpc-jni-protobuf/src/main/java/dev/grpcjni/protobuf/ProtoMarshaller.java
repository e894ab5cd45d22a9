// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.protobuf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.grpcjni.codec.Marshaller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Marshals protobuf messages ({@code Message} or {@code MessageLite}).
 *
 * <p>Sending serializes with a {@link CodedOutputStream} straight into the native-backed buffer the
 * C core sends from: one copy, no intermediate {@code byte[]}. Receiving parses from the received
 * bytes without another copy; {@code bytes} fields are copied out (no aliasing), so a message stays
 * valid after the call. A message that does not parse fails the call with INTERNAL and the parser's
 * explanation.
 *
 * <p>Thread-safe.
 *
 * @param <T> the message type
 */
public final class ProtoMarshaller<T extends MessageLite> implements Marshaller<T> {
  private final Parser<T> parser;
  private final ExtensionRegistryLite extensions;

  private ProtoMarshaller(Parser<T> parser, ExtensionRegistryLite extensions) {
    this.parser = parser;
    this.extensions = extensions;
  }

  /** A marshaller for messages of {@code defaultInstance}'s type. */
  public static <T extends MessageLite> ProtoMarshaller<T> of(T defaultInstance) {
    return of(defaultInstance, ExtensionRegistryLite.getEmptyRegistry());
  }

  /** A marshaller that parses extensions known to {@code extensions}. */
  @SuppressWarnings("unchecked")
  public static <T extends MessageLite> ProtoMarshaller<T> of(
      T defaultInstance, ExtensionRegistryLite extensions) {
    return new ProtoMarshaller<>(
        (Parser<T>) defaultInstance.getParserForType(), Objects.requireNonNull(extensions));
  }

  @Override
  public int serializedSize(T value) {
    return value.getSerializedSize();
  }

  @Override
  public void serialize(T value, ByteBuffer target) {
    CodedOutputStream out = CodedOutputStream.newInstance(target);
    try {
      value.writeTo(out);
      out.flush(); // moves target's position past the message
    } catch (IOException e) {
      throw new UncheckedIOException(e); // only if the buffer is too small: a marshaller bug
    }
  }

  /**
   * Parses one message from all remaining bytes of {@code source}.
   *
   * @throws IllegalArgumentException if the bytes are not a valid message
   */
  @Override
  public T parse(ByteBuffer source) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(source);
      T message = parser.parseFrom(in, extensions);
      in.checkLastTagWas(0);
      source.position(source.limit());
      return message;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("invalid protobuf message: " + e.getMessage(), e);
    }
  }
}
