// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Conversions between grpc-java's values and grpc-jni's. */
class BridgeTest {
  private static final Metadata.Key<String> TEXT =
      Metadata.Key.of("x-text", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> BIN =
      Metadata.Key.of("x-data-bin", Metadata.BINARY_BYTE_MARSHALLER);

  @Test
  void metadataKeepsEveryValueInOrderTextAndBinary() {
    Metadata md = new Metadata();
    md.put(TEXT, "a");
    md.put(TEXT, "b");
    md.put(BIN, new byte[] {0, (byte) 0xFF, 10});
    md.put(Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER), "not ours to send");
    dev.grpcjni.Metadata core = Bridge.toCore(md);
    assertThat(core.getAll("x-text")).containsExactly("a", "b");
    assertThat(core.getBinary("x-data-bin")).containsExactly(0, 0xFF, 10);
    assertThat(core.keys()).doesNotContain("user-agent"); // the C core writes its own
    Metadata back = Bridge.toGrpc(core, new byte[] {7});
    assertThat(back.getAll(TEXT)).containsExactly("a", "b");
    assertThat(back.get(BIN)).containsExactly(0, 0xFF, 10);
    assertThat(
            back.get(Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER)))
        .containsExactly(7);
    assertThat(Bridge.toCore(new Metadata())).isNull();
  }

  @Test
  void statusesKeepCodeDescriptionAndCause() {
    RuntimeException cause = new RuntimeException("why");
    io.grpc.Status s =
        Bridge.toGrpc(dev.grpcjni.Status.ABORTED.withDescription("busy").withCause(cause));
    assertThat(s.getCode()).isEqualTo(io.grpc.Status.Code.ABORTED);
    assertThat(s.getDescription()).isEqualTo("busy");
    assertThat(s.getCause()).isSameAs(cause);
    dev.grpcjni.Status c =
        GrpcJniServerCall.toCore(io.grpc.Status.NOT_FOUND.withDescription("gone"));
    assertThat(c.code()).isEqualTo(dev.grpcjni.Status.Code.NOT_FOUND);
    assertThat(c.description()).isEqualTo("gone");
  }

  @Test
  void peersAsTheCoreNamesThem() {
    assertThat(Peers.address("ipv4:127.0.0.1:5000"))
        .isEqualTo(new InetSocketAddress("127.0.0.1", 5000));
    assertThat(((InetSocketAddress) Peers.address("ipv6:[::1]:443")).getPort()).isEqualTo(443);
    assertThat(Peers.address("unix:/tmp/s")).isNull();
    assertThat(Peers.address("ipv4:nonsense")).isNull();
    assertThat(Peers.address(null)).isNull();
  }

  @Test
  void timeoutsInGrpcsWireForm() {
    assertThat(GrpcJniServerCall.timeoutValue(5)).isEqualTo("5n");
    assertThat(GrpcJniServerCall.timeoutValue(-3)).isEqualTo("0n");
    assertThat(GrpcJniServerCall.timeoutValue(1_500_000_000L)).isEqualTo("1500000u");
    assertThat(GrpcJniServerCall.timeoutValue(600_000_000_000L)).isEqualTo("600000m");
    assertThat(GrpcJniServerCall.timeoutValue(Long.MAX_VALUE)).endsWith("H");
  }
}
