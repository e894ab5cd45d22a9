// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.CallOptions;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.Status;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.ServerCalls;
import dev.grpcjni.stub.StreamObserver;
import dev.grpcjni.testing.GrpcCleanup;
import dev.grpcjni.testing.RawHttp2;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 21, defect 4: a message whose Compressed-Flag is 1 on a call whose {@code grpc-encoding} is
 * absent, {@code identity} or unknown is not the message (libgrpc 1.51 handed its bytes over as
 * plaintext, and the call returned OK). The gRPC spec makes it INTERNAL; the server now answers so,
 * before any handler sees it, on the unary path (the request read with the call) and the streaming
 * path (messages read one by one). So is a gzip stream that does not decode (libgrpc reset the
 * stream without a status), and one that decodes to more than the server accepts is
 * RESOURCE_EXHAUSTED, found before it is inflated whole.
 */
class MalformedFramingIT {
  static final String SERVICE = "grpcjni.test.Framing";
  static final MethodDescriptor<byte[], byte[]> UNARY =
      MethodDescriptor.unary(
          MethodDescriptor.fullMethodName(SERVICE, "Unary"),
          Marshallers.bytes(),
          Marshallers.bytes());
  static final MethodDescriptor<byte[], byte[]> BIDI =
      MethodDescriptor.create(
          MethodDescriptor.MethodType.BIDI_STREAMING,
          MethodDescriptor.fullMethodName(SERVICE, "Bidi"),
          Marshallers.bytes(),
          Marshallers.bytes());
  static final String INTERNAL = String.valueOf(Status.Code.INTERNAL.value());
  static final byte[] HELLO = {'h', 'e', 'l', 'l', 'o'};

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  final AtomicInteger delivered = new AtomicInteger();
  Server server;

  @BeforeEach
  void start() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(SERVICE)
            .unary(
                UNARY,
                (req, ctx) -> {
                  delivered.incrementAndGet();
                  return CompletableFuture.completedFuture(req);
                })
            .method(
                BIDI,
                ServerCalls.asyncStreaming(
                    responses ->
                        new StreamObserver<byte[]>() {
                          @Override
                          public void onNext(byte[] value) {
                            delivered.incrementAndGet();
                            responses.onNext(value);
                          }

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onCompleted() {
                            responses.onCompleted();
                          }
                        }))
            .build();
    server =
        grpc.register(ServerBuilder.forAddress("127.0.0.1:0").addService(service).build().start());
  }

  static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(b);
    }
    return out.toByteArray();
  }

  /** Sends one message with {@code flag} on a call to {@code method}; returns how it ended. */
  RawHttp2.Ending call(String method, String encoding, int flag, byte[] message) throws Exception {
    try (RawHttp2 peer = new RawHttp2(server.port(), true)) {
      ByteArrayOutputStream block = RawHttp2.requestHeaders("/" + SERVICE + "/" + method);
      if (encoding != null) {
        RawHttp2.literal(block, "grpc-encoding", encoding);
      }
      peer.headers(1, block.toByteArray(), false);
      peer.message(1, flag, message, true);
      return peer.readUntilStreamEnds(1);
    }
  }

  @ParameterizedTest(name = "grpc-encoding \"{0}\"")
  @ValueSource(strings = {"", "identity", "x-unknown"})
  void aCompressedMessageWithoutAnEncodingIsInternal(String encoding) throws Exception {
    for (String method : new String[] {"Unary", "Bidi"}) {
      RawHttp2.Ending end = call(method, encoding.isEmpty() ? null : encoding, 1, HELLO);
      assertThat(end.how()).as(method).isEqualTo("trailers");
      assertThat(end.grpcStatus()).as(method).isEqualTo(INTERNAL);
      assertThat(end.sawData()).as(method).isFalse();
    }
    assertThat(delivered.get()).as("messages a handler saw").isZero();
  }

  /** A gzip stream the core's decompressor would have failed, resetting the stream unanswered. */
  @Test
  void anUndecodableMessageIsInternal() throws Exception {
    byte[] good = gzip(HELLO);
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 4);
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 3);
    for (byte[] bad : new byte[][] {HELLO, truncated, trailing}) {
      for (String method : new String[] {"Unary", "Bidi"}) {
        RawHttp2.Ending end = call(method, "gzip", 1, bad);
        assertThat(end.how()).as(method).isEqualTo("trailers");
        assertThat(end.grpcStatus()).as(method).isEqualTo(INTERNAL);
      }
    }
    assertThat(delivered.get()).isZero();
  }

  /**
   * 32 MiB of zeros in 32 KB of gzip: the shim stops inflating past the server's 4 MiB
   * maxInboundMessageSize and answers RESOURCE_EXHAUSTED (libgrpc 1.51 inflated a message whole
   * before checking its size). The stream lacks its last bytes: inflated whole, it would be found
   * corrupt, so RESOURCE_EXHAUSTED shows the bound stopped it early.
   */
  @Test
  void aDecompressionBombIsResourceExhausted() throws Exception {
    byte[] whole = gzip(new byte[32 << 20]);
    byte[] bomb = java.util.Arrays.copyOf(whole, whole.length - 8);
    assertThat(bomb.length).isLessThan(60_000);
    for (String method : new String[] {"Unary", "Bidi"}) {
      RawHttp2.Ending end = call(method, "gzip", 1, bomb);
      assertThat(end.how()).as(method).isEqualTo("trailers");
      assertThat(end.grpcStatus())
          .as(method)
          .isEqualTo(String.valueOf(Status.Code.RESOURCE_EXHAUSTED.value()));
    }
    assertThat(delivered.get()).isZero();
    // Just under the bound, it is a message (sent by a real client: the echo needs flow control).
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    byte[] justUnder = new byte[(4 << 20) - 64];
    assertThat(
            ClientCalls.unaryCall(
                    channel, UNARY, justUnder, CallOptions.DEFAULT.withCompression("gzip"))
                .get(30, TimeUnit.SECONDS))
        .hasSize(justUnder.length);
    assertThat(delivered.get()).isEqualTo(1);
  }

  @Test
  void wellFormedMessagesStillArrive() throws Exception {
    for (String method : new String[] {"Unary", "Bidi"}) {
      assertThat(call(method, "gzip", 1, gzip(HELLO)).grpcStatus()).as(method).isEqualTo("0");
      assertThat(call(method, "gzip", 0, HELLO).grpcStatus()).as(method).isEqualTo("0");
      assertThat(call(method, null, 0, HELLO).grpcStatus()).as(method).isEqualTo("0");
    }
    assertThat(delivered.get()).isEqualTo(6);
  }
}
