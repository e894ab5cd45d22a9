// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * A grpc-java marshaller (streams) as a grpc-jni one (buffers).
 *
 * <pre>
 * Overview:
 *   Send. grpc-jni asks for the size, then for the bytes in a native-backed buffer of exactly that
 *     size. A stream that knows its length (KnownLength, as protobuf's does) is asked for its size,
 *     then drained (Drainable) or read straight into the buffer: no intermediate byte[]. Any other
 *     stream is read into a byte[] once, kept for the serialize call that follows on the same
 *     thread.
 *   Receive. The received bytes are handed to the marshaller as a KnownLength stream over the
 *     buffer: protobuf's marshaller reads them out once, as it does from Netty's buffers.
 * </pre>
 */
final class StreamMarshaller<T> implements dev.grpcjni.codec.Marshaller<T> {
  /** A message of unknown length, read for its size and written by the next serialize. */
  private static final ThreadLocal<Pending> PENDING = new ThreadLocal<>();

  private record Pending(Object value, byte[] bytes) {}

  private final MethodDescriptor.Marshaller<T> marshaller;
  private final int maxParsed; // bytes; larger messages are refused (CallOptions' inbound max)

  StreamMarshaller(MethodDescriptor.Marshaller<T> marshaller) {
    this(marshaller, Integer.MAX_VALUE);
  }

  StreamMarshaller(MethodDescriptor.Marshaller<T> marshaller, int maxParsed) {
    this.marshaller = marshaller;
    this.maxParsed = maxParsed;
  }

  /** A received message above the call's inbound limit: its status is the call's. */
  static final class TooLarge extends io.grpc.StatusRuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge(int size, int max) {
      super(
          io.grpc.Status.RESOURCE_EXHAUSTED.withDescription(
              String.format(
                  java.util.Locale.ROOT, "gRPC message exceeds maximum size %d: %d", max, size)));
    }
  }

  @Override
  public int serializedSize(T value) {
    try (InputStream in = marshaller.stream(value)) {
      if (in instanceof KnownLength) {
        return in.available();
      }
      byte[] bytes = in.readAllBytes();
      PENDING.set(new Pending(value, bytes));
      return bytes.length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void serialize(T value, ByteBuffer target) {
    Pending pending = PENDING.get();
    if (pending != null) {
      PENDING.remove();
      if (pending.value == value) {
        target.put(pending.bytes);
        return;
      }
    }
    try (InputStream in = marshaller.stream(value)) {
      if (in instanceof Drainable) {
        ((Drainable) in).drainTo(new BufferOutput(target));
        return;
      }
      if (in instanceof KnownLength && target.hasArray()) {
        int n = target.remaining();
        int read = in.readNBytes(target.array(), target.arrayOffset() + target.position(), n);
        target.position(target.position() + read);
        return;
      }
      ByteArrayOutputStream copy = new ByteArrayOutputStream(Math.max(32, target.remaining()));
      in.transferTo(copy);
      target.put(copy.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public T parse(ByteBuffer source) {
    if (source.remaining() > maxParsed) {
      throw new TooLarge(source.remaining(), maxParsed);
    }
    return marshaller.parse(new BufferInput(source));
  }

  /** Writes into a buffer; past its limit, BufferOverflowException (a marshaller bug). */
  private static final class BufferOutput extends OutputStream {
    private final ByteBuffer target;

    BufferOutput(ByteBuffer target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      target.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      target.put(b, off, len);
    }
  }

  /** Reads a buffer's remaining bytes; its length is known. */
  static final class BufferInput extends InputStream implements KnownLength {
    private final ByteBuffer source;

    BufferInput(ByteBuffer source) {
      this.source = source;
    }

    @Override
    public int available() {
      return source.remaining();
    }

    @Override
    public int read() {
      return source.hasRemaining() ? source.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      int n = Math.min(len, source.remaining());
      if (n == 0) {
        return -1;
      }
      source.get(b, off, n);
      return n;
    }

    @Override
    public long skip(long n) {
      int k = (int) Math.min(Math.max(n, 0), source.remaining());
      source.position(source.position() + k);
      return k;
    }
  }
}
