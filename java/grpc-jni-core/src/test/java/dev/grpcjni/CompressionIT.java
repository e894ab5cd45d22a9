// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.UnaryHandler;
import dev.grpcjni.stub.UnaryResponse;
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
  ManagedChannel through(CountingProxy proxy, ChannelBuilder b) {
    ManagedChannel channel = grpc.register(b.build());
    ClientCalls.blockingUnaryCall(
        channel, EchoService.method("Compress"), new byte[2]); // connect first
    proxy.reset();
    return channel;
  }

  @Test
  void perCallRequestCompressionShrinksTheWire() throws Exception {
    Server server = server(ServerBuilder.forAddress("127.0.0.1:0"));
    try (CountingProxy proxy = new CountingProxy(server.port())) {
      ManagedChannel channel =
          through(proxy, ChannelBuilder.forTarget("127.0.0.1:" + proxy.port()));
      for (String c : new String[] {Compression.GZIP, Compression.DEFLATE, Compression.IDENTITY}) {
        proxy.reset();
        byte[] r =
            ClientCalls.unaryCall(
                    channel,
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
        ManagedChannel channel =
            through(proxy, ChannelBuilder.forTarget("127.0.0.1:" + proxy.port()));
        byte[] request = Arrays.copyOf(new byte[] {1}, COMPRESSIBLE.length);
        UnaryResponse<byte[]> r =
            ClientCalls.unaryCallWithMetadata(
                    channel, EchoService.method("Compress"), request, CallOptions.DEFAULT)
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
      ManagedChannel channel =
          through(
              proxy,
              ChannelBuilder.forTarget("127.0.0.1:" + proxy.port())
                  .defaultCompression(Compression.GZIP));
      assertThat(
              ClientCalls.blockingUnaryCall(channel, EchoService.method("Compress"), COMPRESSIBLE))
          .isEqualTo(COMPRESSIBLE);
      assertThat(proxy.upstream.get()).isLessThan(COMPRESSED_BOUND);
    }
  }

  @Test
  void compressionSurvivesLaterHeaders() throws Exception {
    Server server = server(ServerBuilder.forAddress("127.0.0.1:0"));
    try (CountingProxy proxy = new CountingProxy(server.port())) {
      ManagedChannel channel =
          through(proxy, ChannelBuilder.forTarget("127.0.0.1:" + proxy.port()));
      CallOptions options =
          CallOptions.DEFAULT
              .withCompression(Compression.GZIP)
              .withHeaders(new Metadata().put("x-a", "b"));
      assertThat(
              ClientCalls.blockingUnaryCall(
                  channel, EchoService.method("Compress"), COMPRESSIBLE, options))
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

  @Test
  void unaryHandlerSeesWhetherTheRequestWasCompressed() throws Exception {
    AtomicReference<Boolean> seen = new AtomicReference<>();
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(
                    EchoService.service(
                        "Flag",
                        UnaryHandler.sync(
                            (req, ctx) -> {
                              seen.set(ctx.wasLastMessageCompressed());
                              return req;
                            })))
                .build()
                .start());
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    MethodDescriptor<byte[], byte[]> flag = EchoService.method("Flag");
    ClientCalls.unaryCall(
            channel, flag, COMPRESSIBLE, CallOptions.DEFAULT.withCompression(Compression.GZIP))
        .get(10, TimeUnit.SECONDS);
    assertThat(seen.get()).isTrue();
    ClientCalls.unaryCall(channel, flag, COMPRESSIBLE, CallOptions.DEFAULT)
        .get(10, TimeUnit.SECONDS);
    assertThat(seen.get()).isFalse();
    // The core skips compressing a message that would not shrink, and reports it as uncompressed.
    ClientCalls.unaryCall(
            channel, flag, new byte[0], CallOptions.DEFAULT.withCompression(Compression.GZIP))
        .get(10, TimeUnit.SECONDS);
    assertThat(seen.get()).isFalse();
  }

  /**
   * Per-message compression both ways on one bidi call: each request says (first byte) whether the
   * server should compress its echo, and the client turns compression off for every other request.
   * Both sides record what arrived compressed.
   */
  @Test
  void perMessageCompressionBothWays() throws Exception {
    MethodDescriptor<byte[], byte[]> bidi =
        MethodDescriptor.create(
            MethodDescriptor.MethodType.BIDI_STREAMING,
            MethodDescriptor.fullMethodName("grpcjni.test.Flags", "Echo"),
            dev.grpcjni.codec.Marshallers.bytes(),
            dev.grpcjni.codec.Marshallers.bytes());
    java.util.List<Boolean> serverSaw = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.grpcjni.ServerCallHandler<byte[], byte[]> handler =
        call -> {
          call.context().setCompression(Compression.GZIP);
          call.request(1);
          return new dev.grpcjni.ServerCall.Listener<>() {
            @Override
            public void onMessage(byte[] m) {
              serverSaw.add(call.context().wasLastMessageCompressed());
              call.setMessageCompression(m[0] == 1);
              call.sendMessage(m);
              call.request(1);
            }

            @Override
            public void onHalfClose() {
              call.close(Status.OK, null);
            }
          };
        };
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(
                    dev.grpcjni.server.ServiceDefinition.builder("grpcjni.test.Flags")
                        .method(bidi, handler)
                        .build())
                .build()
                .start());
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    java.util.List<Boolean> clientSaw = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<Status> closed =
        new java.util.concurrent.CompletableFuture<>();
    dev.grpcjni.ClientCall<byte[], byte[]> call =
        channel.newCall(bidi, CallOptions.DEFAULT.withCompression(Compression.GZIP));
    call.start(
        new dev.grpcjni.ClientCall.Listener<>() {
          @Override
          public void onMessage(byte[] m) {
            clientSaw.add(call.wasLastMessageCompressed());
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        null);
    assertThatThrownBy(call::wasLastMessageCompressed).isInstanceOf(IllegalStateException.class);
    call.request(Integer.MAX_VALUE);
    boolean[] requestCompressed = {true, false, false, true};
    boolean[] responseCompressed = {true, true, false, false};
    for (int i = 0; i < 4; i++) {
      byte[] m = COMPRESSIBLE.clone();
      m[0] = (byte) (responseCompressed[i] ? 1 : 0);
      call.setMessageCompression(requestCompressed[i]);
      call.sendMessage(m).get(10, TimeUnit.SECONDS);
    }
    call.halfClose();
    assertThat(closed.get(10, TimeUnit.SECONDS).isOk()).isTrue();
    assertThat(serverSaw).containsExactly(true, false, false, true);
    assertThat(clientSaw).containsExactly(true, true, false, false);
  }
}
