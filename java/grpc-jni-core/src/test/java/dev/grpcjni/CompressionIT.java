// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.client.CallOptions;
import dev.grpcjni.client.Channel;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.UnaryResponse;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.UnaryHandler;
import dev.grpcjni.testing.CountingProxy;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request and response compression, per channel, call, server and response, measured on the wire
 * through a byte-counting proxy; decompression is transparent.
 */
class CompressionIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  /** 64 KiB of zeros: compresses to almost nothing. */
  static final byte[] COMPRESSIBLE = new byte[64 * 1024];

  /** Well under the uncompressed size, well over a compressed 64 KiB of zeros plus framing. */
  static final long COMPRESSED_BOUND = 4096;

  final AtomicReference<Metadata> seenHeaders = new AtomicReference<>();

  /** Echo; a request starting with 1 asks the server to gzip its response. */
  Server server(ServerBuilder b) throws Exception {
    return grpc.register(
        b.addService(
                EchoService.service(
                    "Compress",
                    UnaryHandler.sync(
                        (req, ctx) -> {
                          seenHeaders.set(ctx.requestHeaders());
                          if (req.length > 0 && req[0] == 1) {
                            ctx.setCompression(Compression.GZIP);
                          }
                          return req;
                        })))
            .build()
            .start());
  }

  /** A connected channel through {@code proxy}, with its counters reset. */
  Channel through(CountingProxy proxy, ChannelBuilder b) {
    Channel channel = grpc.register(b.build());
    channel.blockingUnaryCall(EchoService.method("Compress"), new byte[2]); // connect first
    proxy.reset();
    return channel;
  }

  @Test
  void perCallRequestCompressionShrinksTheWire() throws Exception {
    Server server = server(ServerBuilder.forAddress("127.0.0.1:0"));
    try (CountingProxy proxy = new CountingProxy(server.port())) {
      Channel channel = through(proxy, ChannelBuilder.forTarget("127.0.0.1:" + proxy.port()));
      for (String c : new String[] {Compression.GZIP, Compression.DEFLATE, Compression.IDENTITY}) {
        proxy.reset();
        byte[] r =
            channel
                .unaryCall(
                    EchoService.method("Compress"),
                    COMPRESSIBLE,
                    CallOptions.DEFAULT.withCompression(c))
                .get(10, TimeUnit.SECONDS);
        assertThat(r).isEqualTo(COMPRESSIBLE);
        assertThat(seenHeaders.get().containsKey("grpc-internal-encoding-request")).isFalse();
        if (c.equals(Compression.IDENTITY)) {
          assertThat(proxy.upstream.get())
              .as("identity: bytes sent")
              .isGreaterThan(COMPRESSIBLE.length);
        } else {
          assertThat(proxy.upstream.get()).as(c + ": bytes sent").isLessThan(COMPRESSED_BOUND);
        }
        // The response was not compressed.
        assertThat(proxy.downstream.get()).isGreaterThan(COMPRESSIBLE.length);
      }
    }
  }

  @Test
  void responseCompressionPerCallAndPerServerShrinksTheWire() throws Exception {
    Server perCall = server(ServerBuilder.forAddress("127.0.0.1:0"));
    Server perServer =
        server(ServerBuilder.forAddress("127.0.0.1:0").defaultCompression(Compression.GZIP));
    for (Server s : new Server[] {perCall, perServer}) {
      try (CountingProxy proxy = new CountingProxy(s.port())) {
        Channel channel = through(proxy, ChannelBuilder.forTarget("127.0.0.1:" + proxy.port()));
        byte[] request = Arrays.copyOf(new byte[] {1}, COMPRESSIBLE.length);
        UnaryResponse<byte[]> r =
            channel
                .unaryCallWithMetadata(EchoService.method("Compress"), request, CallOptions.DEFAULT)
                .get(10, TimeUnit.SECONDS);
        assertThat(r.message()).isEqualTo(request);
        assertThat(proxy.downstream.get()).as("response bytes").isLessThan(COMPRESSED_BOUND);
        assertThat(proxy.upstream.get()).as("request bytes").isGreaterThan(COMPRESSIBLE.length);
      }
    }
  }

  @Test
  void channelDefaultCompressionShrinksTheWire() throws Exception {
    Server server = server(ServerBuilder.forAddress("127.0.0.1:0"));
    try (CountingProxy proxy = new CountingProxy(server.port())) {
      Channel channel =
          through(
              proxy,
              ChannelBuilder.forTarget("127.0.0.1:" + proxy.port())
                  .defaultCompression(Compression.GZIP));
      assertThat(channel.blockingUnaryCall(EchoService.method("Compress"), COMPRESSIBLE))
          .isEqualTo(COMPRESSIBLE);
      assertThat(proxy.upstream.get()).isLessThan(COMPRESSED_BOUND);
    }
  }

  @Test
  void compressionSurvivesLaterHeaders() throws Exception {
    Server server = server(ServerBuilder.forAddress("127.0.0.1:0"));
    try (CountingProxy proxy = new CountingProxy(server.port())) {
      Channel channel = through(proxy, ChannelBuilder.forTarget("127.0.0.1:" + proxy.port()));
      CallOptions options =
          CallOptions.DEFAULT
              .withCompression(Compression.GZIP)
              .withHeaders(new Metadata().put("x-a", "b"));
      assertThat(channel.blockingUnaryCall(EchoService.method("Compress"), COMPRESSIBLE, options))
          .isEqualTo(COMPRESSIBLE);
      assertThat(proxy.upstream.get()).isLessThan(COMPRESSED_BOUND);
      assertThat(seenHeaders.get().get("x-a")).isEqualTo("b");
    }
  }

  @Test
  void unknownAlgorithmsAreRefused() {
    assertThatThrownBy(() -> CallOptions.DEFAULT.withCompression("snappy"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CallOptions.DEFAULT.withCompression(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChannelBuilder.forTarget("x").defaultCompression("lz4"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
