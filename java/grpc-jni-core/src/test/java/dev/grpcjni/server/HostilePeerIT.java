// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.CallOptions;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import dev.grpcjni.testing.RawHttp2;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A peer no gRPC library would be, speaking raw HTTP/2. Issue 21, defect 1: a peer's headers may
 * cost the server only what its metadata bound allows. The peer here never acknowledges the
 * server's SETTINGS, so the C core does not yet hold it to the header-list limit it advertised, and
 * HPACK indexing turns ~4 KB on the wire into ~16 MB of metadata per stream: the binding must
 * refuse the call before copying any of it.
 */
class HostilePeerIT {
  static final String PATH = "/" + EchoService.NAME + "/Counted";
  static final String RESOURCE_EXHAUSTED = String.valueOf(Status.Code.RESOURCE_EXHAUSTED.value());
  static final String INTERNAL = String.valueOf(Status.Code.INTERNAL.value());

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  final AtomicInteger handled = new AtomicInteger();
  final AtomicLong largestHeaders = new AtomicLong();

  Server start(ServerBuilder builder) throws Exception {
    return grpc.register(
        builder
            .addService(
                EchoService.service(
                    "Counted",
                    (req, ctx) -> {
                      handled.incrementAndGet();
                      long size = 0;
                      for (String key : ctx.requestHeaders().keys()) {
                        for (String v : ctx.requestHeaders().getAll(key)) {
                          size += key.length() + v.length() + 32;
                        }
                      }
                      largestHeaders.accumulateAndGet(size, Math::max);
                      return CompletableFuture.completedFuture(req);
                    }))
            .build()
            .start());
  }

  /** Request headers with one indexed 4,000-byte header, then {@code repeats} references to it. */
  static byte[] amplified(int repeats) {
    ByteArrayOutputStream block = RawHttp2.requestHeaders(PATH);
    RawHttp2.indexedLiteral(block, "x-amplified", "a".repeat(4000));
    for (int i = 0; i < repeats; i++) {
      RawHttp2.indexed(block, 62); // the entry just indexed: one byte for 4 KB of metadata
    }
    return block.toByteArray();
  }

  @Test
  void amplifiedHeadersAreRefusedBeforeTheyAreCopied() throws Exception {
    Server server = start(ServerBuilder.forAddress("127.0.0.1:0"));
    byte[] block = amplified(4000); // ~24 KB on the wire, ~16 MB decoded
    try (RawHttp2 peer = new RawHttp2(server.port(), false)) {
      for (int i = 0; i < 50; i++) {
        int stream = 2 * i + 1;
        peer.headers(stream, block, false);
        peer.message(stream, new byte[0], true);
        RawHttp2.Ending end = peer.readUntilStreamEnds(stream);
        assertThat(end.how()).as("stream %d", stream).isEqualTo("trailers");
        assertThat(end.grpcStatus()).as("stream %d", stream).isEqualTo(RESOURCE_EXHAUSTED);
        assertThat(end.sawData()).as("a response message on stream %d", stream).isFalse();
      }
    }
    assertThat(handled.get()).as("calls that reached the handler").isZero();
    // The server is unharmed, and serves headers below the bound.
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    Metadata headers = new Metadata().put("x-small", "b".repeat(2000));
    assertThat(
            ClientCalls.unaryCall(
                    channel,
                    EchoService.method("Counted"),
                    new byte[] {7},
                    CallOptions.DEFAULT.withHeaders(headers))
                .get(10, TimeUnit.SECONDS))
        .containsExactly(7);
    assertThat(handled.get()).isEqualTo(1);
  }

  @Test
  void theBoundIsConfigurable() throws Exception {
    Server server =
        start(ServerBuilder.forAddress("127.0.0.1:0").maxInboundMetadataSize(64 * 1024));
    try (RawHttp2 peer = new RawHttp2(server.port(), false)) {
      peer.headers(1, amplified(10), false); // ~44 KB decoded: under the raised bound
      peer.message(1, new byte[0], true);
      assertThat(peer.readUntilStreamEnds(1).sawData()).isTrue();
      peer.headers(3, amplified(20), false); // ~84 KB: over it
      peer.message(3, new byte[0], true);
      RawHttp2.Ending end = peer.readUntilStreamEnds(3);
      assertThat(end.how()).isEqualTo("trailers");
      assertThat(end.grpcStatus()).isEqualTo(RESOURCE_EXHAUSTED);
      assertThat(end.sawData()).isFalse();
    }
    assertThat(handled.get()).isEqualTo(1);
    assertThat(largestHeaders.get()).isGreaterThan(40_000);
  }

  @Test
  void aWellBehavedClientAboveTheBoundGetsResourceExhausted() throws Exception {
    Server server = start(ServerBuilder.forAddress("127.0.0.1:0").maxInboundMetadataSize(1024));
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    Metadata headers = new Metadata().put("x-large", "c".repeat(4000));
    ExecutionException e =
        catchThrowableOfType(
            ExecutionException.class,
            () ->
                ClientCalls.unaryCall(
                        channel,
                        EchoService.method("Counted"),
                        new byte[] {7},
                        CallOptions.DEFAULT.withHeaders(headers))
                    .get(10, TimeUnit.SECONDS));
    assertThat(((StatusException) e.getCause()).status().code())
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(handled.get()).isZero();
  }

  /**
   * Defect 5: fields RFC 9113 8.2 calls malformed (Netty resets the stream with PROTOCOL_ERROR for
   * each) are answered with INTERNAL before a handler runs, so none can be logged or forwarded.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "X-Upper|v",
        "x space|v",
        "x:colon|v",
        "x-crlf|a\\r\\nx-injected: 1",
        "x-lf|a\\nb",
        "x-nul|a\\u0000b",
        "connection|close",
        "keep-alive|5",
        "transfer-encoding|chunked",
        "upgrade|h2c",
        "proxy-connection|close"
      })
  void malformedHeadersNeverReachAHandler(String name, String value) throws Exception {
    Server server = start(ServerBuilder.forAddress("127.0.0.1:0"));
    String unescaped = value.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\u0000");
    try (RawHttp2 peer = new RawHttp2(server.port(), true)) {
      ByteArrayOutputStream block = RawHttp2.requestHeaders(PATH);
      RawHttp2.literal(block, name, unescaped);
      peer.headers(1, block.toByteArray(), false);
      peer.message(1, new byte[] {1}, true);
      RawHttp2.Ending end = peer.readUntilStreamEnds(1);
      assertThat(end.how()).isEqualTo("trailers");
      assertThat(end.grpcStatus()).isEqualTo(INTERNAL);
      assertThat(end.sawData()).isFalse();
      // The connection serves the next, well-formed call, with every token character in a name.
      block = RawHttp2.requestHeaders(PATH);
      RawHttp2.literal(block, "x-tokens!#$%&'*+^_`|~.", "v; q=\"1\" \u007e");
      peer.headers(3, block.toByteArray(), false);
      peer.message(3, new byte[] {1}, true);
      end = peer.readUntilStreamEnds(3);
      assertThat(end.sawData()).isTrue();
      assertThat(end.grpcStatus()).isEqualTo("0");
    }
    assertThat(handled.get()).isEqualTo(1);
  }

  @Test
  void theBoundMustBePositive() {
    assertThat(
            catchThrowableOfType(
                IllegalArgumentException.class,
                () -> ServerBuilder.forAddress("127.0.0.1:0").maxInboundMetadataSize(0)))
        .hasMessageContaining("positive");
  }
}
