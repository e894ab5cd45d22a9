// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.StreamObserver;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import dev.grpcjni.testing.RawHttp2;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's side of issue 21's defects 1 and 5: a server no gRPC library would be, which never
 * acknowledges the client's SETTINGS (so the C core does not yet hold it to the 8 KiB header list
 * the client advertised) and answers every call with header blocks written by hand. Response
 * headers or trailers above the channel's {@code maxInboundMetadataSize} end the call with
 * RESOURCE_EXHAUSTED, malformed ones with INTERNAL, before any is copied into Java.
 */
class HostileServerIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  /** Answers each stream with {@code headers}, one message {7}, then {@code trailers}. */
  static final class Server implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final byte[] headers;
    final byte[] trailers;
    final byte[] message; // the response's gRPC frame: flag, length, bytes

    Server(
        Consumer<ByteArrayOutputStream> extraHeaders, Consumer<ByteArrayOutputStream> extraTrailers)
        throws IOException {
      this(extraHeaders, extraTrailers, 0, new byte[] {7});
    }

    /** Answers with a message of {@code flag} and {@code bytes} as they are. */
    Server(
        Consumer<ByteArrayOutputStream> extraHeaders,
        Consumer<ByteArrayOutputStream> extraTrailers,
        int flag,
        byte[] bytes)
        throws IOException {
      message = RawHttp2.grpcMessage(flag, bytes);
      ByteArrayOutputStream h = new ByteArrayOutputStream();
      RawHttp2.literal(h, ":status", "200");
      RawHttp2.literal(h, "content-type", "application/grpc");
      extraHeaders.accept(h);
      headers = h.toByteArray();
      ByteArrayOutputStream t = new ByteArrayOutputStream();
      RawHttp2.literal(t, "grpc-status", "0");
      extraTrailers.accept(t);
      trailers = t.toByteArray();
      Thread acceptor = new Thread(this::accept, "hostile-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void accept() {
      try {
        for (; ; ) {
          Socket s = socket.accept();
          Thread t = new Thread(() -> serve(s), "hostile-server-conn");
          t.setDaemon(true);
          t.start();
        }
      } catch (IOException closed) {
        // closed by the test
      }
    }

    private void serve(Socket s) {
      try (s) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        in.readNBytes(24); // the client preface
        RawHttp2.writeFrame(
            out, RawHttp2.SETTINGS, 0, 0, new byte[0]); // never acknowledges the client's
        out.flush();
        for (; ; ) {
          int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
          int type = in.readUnsignedByte();
          in.readUnsignedByte();
          int stream = in.readInt() & 0x7fffffff;
          in.skipNBytes(length);
          if (type != RawHttp2.HEADERS) {
            continue;
          }
          RawHttp2.writeHeaderBlock(out, stream, headers, false);
          RawHttp2.writeData(out, stream, message, false);
          RawHttp2.writeHeaderBlock(out, stream, trailers, true);
          out.flush();
        }
      } catch (IOException gone) {
        // the client hung up
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** One indexed 4,000-byte entry, then {@code repeats} one-byte references to it. */
  static Consumer<ByteArrayOutputStream> amplified(int repeats) {
    return block -> {
      RawHttp2.indexedLiteral(block, "x-amplified", "a".repeat(4000));
      for (int i = 0; i < repeats; i++) {
        RawHttp2.indexed(block, 62);
      }
    };
  }

  static final Consumer<ByteArrayOutputStream> NOTHING = block -> {};

  ManagedChannel channel(Server server, Integer bound) {
    ChannelBuilder b = ChannelBuilder.forTarget("127.0.0.1:" + server.port());
    if (bound != null) {
      b.maxInboundMetadataSize(bound);
    }
    return grpc.register(b.build());
  }

  static Status unaryStatus(ManagedChannel channel) {
    CompletableFuture<byte[]> f = ClientCalls.unaryCall(channel, EchoService.ECHO, new byte[] {1});
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
    if (e == null) {
      return Status.OK;
    }
    assertThat(e.getCause()).isInstanceOf(StatusException.class);
    return ((StatusException) e.getCause()).status();
  }

  /** A server-streaming call, whose headers arrive in a batch of their own. */
  static Status streamingStatus(ManagedChannel channel) throws Exception {
    CompletableFuture<Status> closed = new CompletableFuture<>();
    ClientCalls.asyncServerStreamingCall(
        channel,
        dev.grpcjni.MethodDescriptor.create(
            dev.grpcjni.MethodDescriptor.MethodType.SERVER_STREAMING,
            EchoService.ECHO.fullMethodName(),
            dev.grpcjni.codec.Marshallers.bytes(),
            dev.grpcjni.codec.Marshallers.bytes()),
        new byte[] {1},
        new StreamObserver<byte[]>() {
          @Override
          public void onNext(byte[] value) {}

          @Override
          public void onError(Throwable t) {
            closed.complete(((StatusException) t).status());
          }

          @Override
          public void onCompleted() {
            closed.complete(Status.OK);
          }
        },
        dev.grpcjni.CallOptions.DEFAULT);
    return closed.get(20, TimeUnit.SECONDS);
  }

  @Test
  void amplifiedResponseHeadersAreRefusedBeforeTheyAreCopied() throws Exception {
    try (Server server = new Server(amplified(4000), NOTHING)) { // ~16 MB decoded
      ManagedChannel channel = channel(server, null);
      for (int i = 0; i < 20; i++) {
        Status s = unaryStatus(channel);
        assertThat(s.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(s.description()).contains("maxInboundMetadataSize");
      }
      Status streaming = streamingStatus(channel);
      assertThat(streaming.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }
  }

  @Test
  void amplifiedTrailersAreRefusedToo() throws Exception {
    try (Server server = new Server(NOTHING, amplified(4000))) {
      ManagedChannel channel = channel(server, null);
      assertThat(unaryStatus(channel).code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(streamingStatus(channel).code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }
  }

  @Test
  void theBoundIsTheChannels() throws Exception {
    try (Server small = new Server(b -> RawHttp2.literal(b, "x-small", "s".repeat(2000)), NOTHING);
        Server large = new Server(amplified(10), NOTHING)) { // ~44 KB decoded
      assertThat(unaryStatus(channel(small, null)).code()).isEqualTo(Status.Code.OK);
      assertThat(unaryStatus(channel(large, null)).code())
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(unaryStatus(channel(large, 64 * 1024)).code()).isEqualTo(Status.Code.OK);
      assertThat(streamingStatus(channel(large, 64 * 1024)).code()).isEqualTo(Status.Code.OK);
    }
    assertThat(
            catchThrowableOfType(
                IllegalArgumentException.class,
                () -> ChannelBuilder.forTarget("127.0.0.1:1").maxInboundMetadataSize(0)))
        .hasMessageContaining("positive");
  }

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(out)) {
      g.write(b);
    }
    return out.toByteArray();
  }

  static byte[] truncated(byte[] b, int by) {
    return java.util.Arrays.copyOf(b, b.length - by);
  }

  static final Consumer<ByteArrayOutputStream> GZIP =
      b -> RawHttp2.literal(b, "grpc-encoding", "gzip");

  /**
   * Responses the shim inflates itself: one that does not decode is INTERNAL, one that decodes to
   * more than the channel's 4 MiB maxInboundMessageSize RESOURCE_EXHAUSTED (32 MiB from 32 KB).
   */
  @Test
  void compressedResponsesAreInflatedWithABound() throws Exception {
    try (Server good = new Server(GZIP, NOTHING, 1, gzip(new byte[] {7}));
        Server corrupt = new Server(GZIP, NOTHING, 1, new byte[] {1, 2, 3, 4, 5});
        // Without its last bytes: RESOURCE_EXHAUSTED then shows the bound stopped it early.
        Server bomb = new Server(GZIP, NOTHING, 1, truncated(gzip(new byte[32 << 20]), 8));
        Server noEncoding = new Server(NOTHING, NOTHING, 1, gzip(new byte[] {7}))) {
      assertThat(unaryStatus(channel(good, null)).code()).isEqualTo(Status.Code.OK);
      assertThat(streamingStatus(channel(good, null)).code()).isEqualTo(Status.Code.OK);
      for (Server server : new Server[] {corrupt, noEncoding}) {
        assertThat(unaryStatus(channel(server, null)).code()).isEqualTo(Status.Code.INTERNAL);
        assertThat(streamingStatus(channel(server, null)).code()).isEqualTo(Status.Code.INTERNAL);
      }
      assertThat(unaryStatus(channel(bomb, null)).code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(streamingStatus(channel(bomb, null)).code())
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }
  }

  @Test
  void malformedResponseHeadersEndTheCallWithInternal() throws Exception {
    try (Server upper = new Server(b -> RawHttp2.literal(b, "X-Upper", "v"), NOTHING);
        Server crlf =
            new Server(NOTHING, b -> RawHttp2.literal(b, "x-crlf", "a\r\nx-injected: 1"))) {
      for (Server server : new Server[] {upper, crlf}) {
        ManagedChannel channel = channel(server, null);
        Status s = unaryStatus(channel);
        assertThat(s.code()).isEqualTo(Status.Code.INTERNAL);
        assertThat(s.description()).isEqualTo("Malformed response header");
        assertThat(streamingStatus(channel).code()).isEqualTo(Status.Code.INTERNAL);
      }
    }
  }
}
