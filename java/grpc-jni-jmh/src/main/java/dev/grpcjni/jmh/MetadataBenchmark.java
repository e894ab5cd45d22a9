// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.jmh;

import dev.grpcjni.Metadata;
import dev.grpcjni.internal.wire.MetadataCodec;
import dev.grpcjni.internal.wire.NativeBuffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Metadata} with four text entries and one binary entry to the shim's encoding in native
 * memory (what a call does before the shim builds its {@code grpc_metadata} array) and back (what a
 * call does with the headers and trailers the shim encoded). The shim's own half is in the
 * round-trip benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetadataBenchmark {
  private Metadata headers;
  private ByteBuffer encoded; // native memory, as the shim writes received metadata

  @Setup(Level.Trial)
  public void start() {
    byte[] traceContext = new byte[29];
    for (int i = 0; i < traceContext.length; i++) {
      traceContext[i] = (byte) (i * 37);
    }
    headers =
        new Metadata()
            .put("x-request-id", "7f3c2a1e-5b4d-4c6e-9f80-1a2b3c4d5e6f")
            .put("authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqbWgifQ.c2lnbmF0dXJl")
            .put("x-tenant", "acme")
            .put("x-client-version", "grpc-jni-jmh/0.1.0")
            .putBinary("x-trace-context-bin", traceContext);
    int n = MetadataCodec.encodedSize(headers);
    encoded = ByteBuffer.allocateDirect(n).order(ByteOrder.LITTLE_ENDIAN);
    MetadataCodec.encode(headers, encoded);
    encoded.flip();
  }

  /** Java to native: size, the thread's {@link NativeBuffer}, the encoding written into it. */
  @Benchmark
  public int encode() {
    int n = MetadataCodec.encodedSize(headers);
    NativeBuffer buf = NativeBuffer.acquire(n);
    try {
      ByteBuffer b = buf.buffer();
      MetadataCodec.encode(headers, b);
      return b.position();
    } finally {
      buf.release();
    }
  }

  /** Native to Java: a new {@link Metadata} decoded from the shim's encoding. */
  @Benchmark
  public Metadata decode() {
    encoded.position(0);
    return MetadataCodec.decode(encoded);
  }
}
