// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.jmh;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.internal.transport.CoreCall;
import dev.grpcjni.internal.wire.NativeBuffer;
import dev.grpcjni.protobuf.ProtoMarshaller;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A protobuf message into native memory, the way the calls send it, and out of native memory, the
 * way they receive it, with {@link ProtoMarshaller}. The message is a {@link BytesValue} (a
 * generated message that protobuf-java ships, so this module needs no protoc run and no 20,000
 * lines of generated code) holding {@code payloadBytes} random bytes; 0 is the empty message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MarshallingBenchmark {
  @Param({"0", "1024", "65536"})
  public int payloadBytes;

  private final ProtoMarshaller<BytesValue> marshaller =
      ProtoMarshaller.of(BytesValue.getDefaultInstance());
  private BytesValue message;
  private int size;
  private ByteBuffer received; // the serialized message in native memory, as the core holds it

  @Setup(Level.Trial)
  public void start() {
    GrpcJniLib.grpcjni_init();
    if (payloadBytes == 0) {
      message = BytesValue.getDefaultInstance();
    } else {
      byte[] body = new byte[payloadBytes];
      new Random(1).nextBytes(body);
      message = BytesValue.of(ByteString.copyFrom(body));
    }
    size = message.getSerializedSize();
    received = ByteBuffer.allocateDirect(Math.max(size, 1));
    received.limit(size);
    marshaller.serialize(message, received);
    received.flip();
  }

  @TearDown(Level.Trial)
  public void stop() {
    GrpcJniLib.grpcjni_shutdown();
  }

  /** Serializing into the thread's {@link NativeBuffer}: the client unary send path. */
  @Benchmark
  public int serializeToNativeBuffer() {
    // As CoreCall.startUnary; grpcjni_call_start_unary then copies the bytes into a slice.
    int n = marshaller.serializedSize(message);
    NativeBuffer buf = NativeBuffer.acquire(n);
    try {
      ByteBuffer b = buf.buffer();
      NativeBuffer.serialize(marshaller, message, b, n);
      return b.position();
    } finally {
      buf.release();
    }
  }

  /** Serializing into a grpc_byte_buffer ({@link CoreCall#newMessage}): the stream send path. */
  @Benchmark
  public long serializeToGrpcByteBuffer() {
    // The NativeBuffer, then grpcjni_byte_buffer_create copies it into a slice; the batch would
    // destroy the buffer once sent. The server's replies do the same.
    long bb = CoreCall.newMessage(marshaller, message, marshaller.serializedSize(message));
    GrpcJniLib.grpcjni_byte_buffer_destroy(bb);
    return bb;
  }

  /** The receive path: copy out of native memory into a fresh {@code byte[]}, parse from it. */
  @Benchmark
  public BytesValue copyOutAndParse() {
    // The copy grpcjni_call_copy_recv_message makes (here without its JNI crossing; a
    // batch context cannot be filled without a call), then the parse the calls make.
    received.clear().limit(size);
    byte[] bytes = new byte[size];
    received.get(bytes);
    return marshaller.parse(ByteBuffer.wrap(bytes));
  }

  /** Parsing straight from native memory, without the {@code byte[]} copy: for comparison. */
  @Benchmark
  public BytesValue parseInPlace() {
    received.clear().limit(size);
    return marshaller.parse(received);
  }
}
