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
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Request and response compression, per channel, call and server; decompression is transparent. */
class CompressionIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  static final byte[] COMPRESSIBLE = new byte[64 * 1024]; // zeros: compresses to almost nothing

  final AtomicReference<Metadata> seenHeaders = new AtomicReference<>();

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

  @Test
  void perCallRequestCompression() throws Exception {
    Server server = server(ServerBuilder.forAddress("127.0.0.1:0"));
    Channel channel = grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    for (String c : new String[] {Compression.GZIP, Compression.DEFLATE, Compression.IDENTITY}) {
      byte[] r =
          channel
              .unaryCall(
                  EchoService.method("Compress"),
                  COMPRESSIBLE,
                  CallOptions.DEFAULT.withCompression(c))
              .get(10, TimeUnit.SECONDS);
      assertThat(r).isEqualTo(COMPRESSIBLE);
      System.out.println(c + " request headers seen by the server: " + seenHeaders.get());
      assertThat(seenHeaders.get().containsKey("grpc-internal-encoding-request")).isFalse();
    }
  }

  @Test
  void responseCompressionPerCallAndPerServer() throws Exception {
    Server perCall = server(ServerBuilder.forAddress("127.0.0.1:0"));
    Server perServer =
        server(ServerBuilder.forAddress("127.0.0.1:0").defaultCompression(Compression.GZIP));
    for (Server s : new Server[] {perCall, perServer}) {
      Channel channel = grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + s.port()).build());
      byte[] request = Arrays.copyOf(new byte[] {1}, 8192);
      UnaryResponse<byte[]> r =
          channel
              .unaryCallWithMetadata(EchoService.method("Compress"), request, CallOptions.DEFAULT)
              .get(10, TimeUnit.SECONDS);
      assertThat(r.message()).isEqualTo(request);
      System.out.println("response headers: " + r.headers());
    }
  }

  @Test
  void channelDefaultCompressionAndStreams() throws Exception {
    Server server = server(ServerBuilder.forAddress("127.0.0.1:0"));
    Channel channel =
        grpc.register(
            ChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .defaultCompression(Compression.GZIP)
                .build());
    assertThat(channel.blockingUnaryCall(EchoService.method("Compress"), COMPRESSIBLE))
        .isEqualTo(COMPRESSIBLE);
  }

  @Test
  void unknownAlgorithmsAreRefused() {
    assertThatThrownBy(() -> CallOptions.DEFAULT.withCompression("snappy"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChannelBuilder.forTarget("x").defaultCompression("lz4"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
