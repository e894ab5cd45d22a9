// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.GrpcCleanup;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code flowControlWindow} on both sides, read off the SETTINGS frame each sends. */
class FlowControlWindowIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  static final int INITIAL_WINDOW_SIZE = 0x4;

  /** The settings of the first frame on {@code in}, which must be SETTINGS. */
  static Map<Integer, Long> readSettings(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    int len = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    in.readUnsignedByte(); // flags
    in.readInt(); // stream
    assertThat(type).as("frame type").isEqualTo(4);
    Map<Integer, Long> settings = new HashMap<>();
    for (int i = 0; i < len / 6; i++) {
      settings.put(in.readUnsignedShort(), in.readInt() & 0xffffffffL);
    }
    return settings;
  }

  /** What a channel built by {@code b} advertises to a bare TCP listener. */
  static Map<Integer, Long> clientSettings(ChannelBuilder b, ServerSocket listener)
      throws IOException {
    ManagedChannel channel = b.build();
    try {
      channel.getState(true);
      try (Socket s = listener.accept()) {
        s.setSoTimeout(10_000);
        s.getInputStream().readNBytes(24); // the connection preface
        return readSettings(s.getInputStream());
      }
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void theChannelAdvertisesItsFixedWindow() throws Exception {
    try (ServerSocket listener = new ServerSocket(0)) {
      String target = "127.0.0.1:" + listener.getLocalPort();
      assertThat(
              clientSettings(ChannelBuilder.forTarget(target).flowControlWindow(100_000), listener))
          .containsEntry(INITIAL_WINDOW_SIZE, 100_000L);
      // By default the C core sizes it itself (BDP probing), starting elsewhere.
      assertThat(
              clientSettings(ChannelBuilder.forTarget(target), listener).get(INITIAL_WINDOW_SIZE))
          .isNotEqualTo(100_000L);
    }
  }

  @Test
  void theServerAdvertisesItsFixedWindow() throws Exception {
    Server server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(EchoService.service(null, null))
                .flowControlWindow(200_000)
                .build()
                .start());
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // empty SETTINGS
      s.getOutputStream().flush();
      assertThat(readSettings(s.getInputStream())).containsEntry(INITIAL_WINDOW_SIZE, 200_000L);
    }
  }

  @Test
  void aWindowBelowTheHttp2DefaultIsRefused() {
    assertThatThrownBy(() -> ChannelBuilder.forTarget("127.0.0.1:1").flowControlWindow(1000))
        .hasMessageContaining("flowControlWindow");
    assertThatThrownBy(() -> ServerBuilder.forPort(0).flowControlWindow(65_534))
        .hasMessageContaining("flowControlWindow");
  }
}
