// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests no gRPC client would send, written as raw HTTP/2 frames: the server must answer each
 * with a status (or the core must reset the stream), never leave it hanging or fail on a poller.
 */
class MalformedRequestIT {
  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int RST_STREAM = 3;
  private static final int SETTINGS = 4;
  private static final int END_STREAM = 0x1;
  private static final int ACK = 0x1;
  private static final int END_HEADERS = 0x4;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  /**
   * The core checks only that :path is present, so these reach the server's unknown-method path.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "/", "noslash", "/grpcjni.test.Echo"})
  void oddPathsEndTheStream(String path) throws Exception {
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(EchoService.service(null, null))
                .build()
                .start());
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(US_ASCII));
      frame(out, SETTINGS, 0, 0, new byte[0]);
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      literal(block, ":method", "POST");
      literal(block, ":scheme", "http");
      literal(block, ":path", path);
      literal(block, ":authority", "localhost");
      literal(block, "content-type", "application/grpc");
      literal(block, "te", "trailers");
      frame(out, HEADERS, END_HEADERS | END_STREAM, 1, block.toByteArray());
      out.flush();
      assertThat(readUntilStreamEnds(socket, out))
          .as("how stream 1 ended for :path \"%s\"", path)
          .isIn("trailers", "reset");
    }
    // The server is unharmed.
    ManagedChannel channel =
        grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
    assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, new byte[] {3}))
        .containsExactly(3);
  }

  /** Reads frames, acknowledging settings, until stream 1 ends: "trailers" or "reset". */
  private static String readUntilStreamEnds(Socket socket, OutputStream out) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    for (; ; ) {
      int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int stream = in.readInt() & 0x7fffffff;
      in.readNBytes(length);
      if (type == SETTINGS && (flags & ACK) == 0) {
        frame(out, SETTINGS, ACK, 0, new byte[0]);
        out.flush();
      }
      if (stream == 1 && type == RST_STREAM) {
        return "reset";
      }
      if (stream == 1 && (type == HEADERS || type == DATA) && (flags & END_STREAM) != 0) {
        return type == HEADERS ? "trailers" : "data";
      }
    }
  }

  private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload)
      throws IOException {
    out.write(payload.length >>> 16);
    out.write(payload.length >>> 8);
    out.write(payload.length);
    out.write(type);
    out.write(flags);
    out.write(stream >>> 24);
    out.write(stream >>> 16);
    out.write(stream >>> 8);
    out.write(stream);
    out.write(payload);
  }

  /**
   * An HPACK literal header field without indexing, new name, no Huffman coding (RFC 7541 6.2.2).
   */
  private static void literal(ByteArrayOutputStream block, String name, String value) {
    block.write(0);
    string(block, name);
    string(block, value);
  }

  private static void string(ByteArrayOutputStream block, String s) {
    byte[] bytes = s.getBytes(US_ASCII);
    if (bytes.length >= 127) {
      throw new IllegalArgumentException("long strings need a multi-byte length: " + s);
    }
    block.write(bytes.length);
    block.write(bytes, 0, bytes.length);
  }
}
