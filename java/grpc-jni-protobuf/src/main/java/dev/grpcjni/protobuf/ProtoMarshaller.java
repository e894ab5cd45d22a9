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
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Marshals protobuf messages ({@code Message} or {@code MessageLite}).
 *
 * <p>Sending serializes with a {@link CodedOutputStream} into the native-backed buffer the C core
 * sends from, with no intermediate {@code byte[]}. A message of at most 1 KiB goes through an
 * encoder each platform thread keeps (1 KiB of heap per thread), so that sending one allocates
 * nothing; a larger one is encoded straight into the target. Receiving parses from the received
 * bytes without another copy; {@code bytes} fields are copied out (no aliasing), so a message stays
 * valid after the call. A message that does not parse fails the call with INTERNAL and the parser's
 * explanation.
 *
 * <p>Thread-safe.
 *
 * @param <T> the message type
 */
public final class ProtoMarshaller<T extends MessageLite> implements Marshaller<T> {
  /**
   * Messages up to this size are encoded through the thread's {@link ReusableEncoder}, which copies
   * them once more (from its buffer to the target) but allocates nothing; larger ones are encoded
   * straight into the target, where a new encoder per message is noise next to the bytes.
   */
  static final int SMALL_MESSAGE = 1024;

  private static final ThreadLocal<ReusableEncoder> ENCODER =
      ThreadLocal.withInitial(ReusableEncoder::new);

  /** {@code Thread.isVirtual()} (Java 21), or null where virtual threads do not exist. */
  private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

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
    try {
      ReusableEncoder reusable;
      if (target.remaining() <= SMALL_MESSAGE && (reusable = reusableEncoder()) != null) {
        reusable.encode(value, target);
        return;
      }
      CodedOutputStream out = CodedOutputStream.newInstance(target);
      value.writeTo(out);
      out.flush(); // moves target's position past the message
    } catch (IOException e) {
      throw new UncheckedIOException(e); // only if the buffer is too small: a marshaller bug
    }
  }

  /**
   * This platform thread's encoder if it is free; null on a virtual thread (which would keep one
   * per thread, that is per task) or while the thread is encoding already.
   */
  private static ReusableEncoder reusableEncoder() {
    if (IS_VIRTUAL != null) {
      try {
        if ((boolean) IS_VIRTUAL.invokeExact(Thread.currentThread())) {
          return null;
        }
      } catch (Throwable t) {
        return null;
      }
    }
    ReusableEncoder e = ENCODER.get();
    return e.target == null ? e : null;
  }

  private static MethodHandle isVirtualHandle() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    } catch (ReflectiveOperationException e) {
      return null; // before Java 21: every thread is a platform thread
    }
  }

  /**
   * A {@link CodedOutputStream} kept per thread, over a sink redirected to each target in turn. Its
   * buffer holds a whole small message, so the one flush at the end copies it into the target.
   */
  private static final class ReusableEncoder extends OutputStream {
    private final CodedOutputStream out = CodedOutputStream.newInstance(this, SMALL_MESSAGE);
    private ByteBuffer target; // while encoding

    void encode(MessageLite value, ByteBuffer into) throws IOException {
      target = into;
      boolean done = false;
      try {
        value.writeTo(out);
        out.flush();
        done = true;
      } finally {
        target = null;
        if (!done) {
          ENCODER.remove(); // its buffer may hold part of the message: never reused
        }
      }
    }

    @Override
    public void write(int b) {
      target.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      target.put(b, off, len); // BufferOverflowException past the declared size
    }
  }

  /**
   * Parses one message from all remaining bytes of {@code source}.
   *
   * @throws IllegalArgumentException if the bytes are not a valid message
   */
  @Override
  public T parse(ByteBuffer source) {
    T message = parse(CodedInputStream.newInstance(source));
    source.position(source.limit());
    return message;
  }

  /** Parses from the array itself: no buffer around it. */
  @Override
  public T parse(byte[] bytes, int offset, int length) {
    return parse(CodedInputStream.newInstance(bytes, offset, length));
  }

  private T parse(CodedInputStream in) {
    try {
      T message = parser.parseFrom(in, extensions);
      in.checkLastTagWas(0);
      return message;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("invalid protobuf message: " + e.getMessage(), e);
    }
  }
}
