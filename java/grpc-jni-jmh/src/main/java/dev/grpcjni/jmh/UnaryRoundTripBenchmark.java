// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.jmh;

import dev.grpcjni.ClientCallTracer;
import dev.grpcjni.Environment;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.ServerCallTracer;
import dev.grpcjni.Status;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.UnaryHandler;
import java.io.IOException;
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
 * One unary RPC at a time, client and server in this JVM over 127.0.0.1, empty request and response
 * ({@link Marshallers#bytes()}), on one {@link Environment}. With {@code -prof gc}, {@code
 * gc.alloc.rate.norm} is the bytes the client and the server together allocate per RPC.
 *
 * <p>{@code executor=default}: call futures complete and handlers run on the environment's cached
 * pool; {@code direct}: both on the poller thread ({@code directExecutor()} on both builders).
 *
 * <p>{@code tracing=off}: no call tracers (what every call pays for tracing is a few null checks);
 * {@code on}: a tracer on the channel and one on the server, each timing its call and summing its
 * message sizes, as a metrics tracer would; {@code jfr}: no tracers, a JFR recording with the
 * {@code dev.grpcjni.Call} event enabled (each call of both sides records one).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UnaryRoundTripBenchmark {
  private static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.unary("jmh.Echo/Echo", Marshallers.bytes(), Marshallers.bytes());
  private static final byte[] EMPTY = new byte[0];

  @Param({"default", "direct"})
  public String executor;

  @Param({"off", "on", "jfr"})
  public String tracing;

  /** What the traced calls measured, so the tracers' work is not optimized away. */
  static final java.util.concurrent.atomic.LongAdder TRACED =
      new java.util.concurrent.atomic.LongAdder();

  /** Times a call and sums the sizes of its messages, as a metrics tracer would. */
  static final class Tally {
    private final long start = System.nanoTime();
    private long bytes;

    void add(long size) {
      bytes += size;
    }

    void close(Status status) {
      TRACED.add(System.nanoTime() - start + bytes + status.code().ordinal());
    }
  }

  /** The client's tracer: a tally. */
  static final class Timing extends ClientCallTracer {
    private final Tally tally = new Tally();

    @Override
    public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      tally.add(uncompressedSize);
    }

    @Override
    public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      tally.add(uncompressedSize);
    }

    @Override
    public void callClosed(Status status) {
      tally.close(status);
    }
  }

  /** The server's likewise. */
  static final class ServerTiming extends ServerCallTracer {
    private final Tally tally = new Tally();

    @Override
    public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      tally.add(uncompressedSize);
    }

    @Override
    public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      tally.add(uncompressedSize);
    }

    @Override
    public void callClosed(Status status) {
      tally.close(status);
    }
  }

  private Environment environment;
  private Server server;
  private ManagedChannel channel;
  private jdk.jfr.Recording recording;

  @Setup(Level.Trial)
  public void start() throws IOException {
    environment = Environment.builder().build();
    ServerBuilder serverBuilder =
        ServerBuilder.forAddress("127.0.0.1:0")
            .environment(environment)
            .addService(
                ServiceDefinition.builder("jmh.Echo")
                    .unary(ECHO, UnaryHandler.sync((request, context) -> request))
                    .build());
    boolean direct =
        switch (executor) {
          case "default" -> false;
          case "direct" -> true;
          default ->
              throw new IllegalArgumentException("executor: default or direct, not " + executor);
        };
    if (direct) {
      serverBuilder.directExecutor();
    }
    boolean traced =
        switch (tracing) {
          case "off", "jfr" -> false;
          case "on" -> true;
          default -> throw new IllegalArgumentException("tracing: off, on or jfr, not " + tracing);
        };
    if (tracing.equals("jfr")) {
      recording = new jdk.jfr.Recording();
      recording.enable("dev.grpcjni.Call").withoutThreshold();
      recording.setToDisk(true);
      recording.setMaxSize(64L << 20); // a ring: old chunks go
      recording.start();
    }
    if (traced) {
      serverBuilder.addCallTracer(info -> new ServerTiming());
    }
    server = serverBuilder.build().start();
    ChannelBuilder channelBuilder =
        ChannelBuilder.forTarget("127.0.0.1:" + server.port()).environment(environment);
    if (direct) {
      channelBuilder.directExecutor();
    }
    if (traced) {
      channelBuilder.addCallTracer(info -> new Timing());
    }
    channel = channelBuilder.build();
    ClientCalls.blockingUnaryCall(channel, ECHO, EMPTY); // connects
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (recording != null) {
      recording.close();
    }
    channel.close();
    server.close();
    environment.close();
  }

  /** One RPC with {@code unaryCall(...).join()}: the response completes on the executor. */
  @Benchmark
  public byte[] unary() {
    return ClientCalls.unaryCall(channel, ECHO, EMPTY).join();
  }

  /** One RPC with {@code blockingUnaryCall}: parsed on the calling thread, no client executor. */
  @Benchmark
  public byte[] blockingUnary() {
    return ClientCalls.blockingUnaryCall(channel, ECHO, EMPTY);
  }
}
