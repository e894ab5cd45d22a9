// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.internal.wire.MetadataCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class MetadataTest {
  @Test
  void keepsOrderAndRepeatsAndLowerCasesKeys() {
    Metadata md =
        new Metadata().put("X-A", "1").put("x-a", "2").putBinary("x-b-bin", new byte[] {1});
    assertThat(md.get("x-a")).isEqualTo("2");
    assertThat(md.getAll("X-A")).containsExactly("1", "2");
    assertThat(md.getBinary("x-b-bin")).containsExactly(1);
    assertThat(md.keys()).containsExactly("x-a", "x-b-bin");
    assertThat(md.size()).isEqualTo(3);
    assertThat(md.removeAll("x-a")).isEqualTo(2);
    assertThat(md.get("x-a")).isNull();
  }

  @Test
  void refusesMalformedReservedAndMistypedEntries() {
    Metadata md = new Metadata();
    assertThatThrownBy(() -> md.put("", "v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> md.put("a b", "v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> md.put(":path", "v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> md.put("x-a", "caf\u00e9"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> md.put("x-a", "line\nbreak"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> md.put("x-a-bin", "text"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> md.putBinary("x-a", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> md.putBinary("-bin", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> md.put("grpc-timeout", "1S"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> md.putBinary("grpc-status-details-bin", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> md.get("x-a-bin")).isInstanceOf(IllegalArgumentException.class);
    assertThat(md.isEmpty()).isTrue();
  }

  /** Issue 21, defect 6: nothing HTTP/2 forbids, and no grpc- key the protocol keeps, is sent. */
  @Test
  void refusesWhatHttp2ForbidsAndTheProtocolReserves() {
    Metadata md = new Metadata();
    for (String key :
        new String[] {
          "connection",
          "Transfer-Encoding",
          "upgrade",
          "keep-alive",
          "proxy-connection",
          "host",
          "te",
          "grpc-previous-rpc-attempts",
          "grpc-internal-encoding-request",
          "grpc-anything"
        }) {
      assertThatThrownBy(() -> md.put(key, "v"))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reserved");
      assertThat(Metadata.isReserved(key)).as(key).isTrue();
    }
    assertThatThrownBy(() -> md.putBinary("grpc-foo-bin", new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(md.isEmpty()).isTrue();
    // Tracing context and a server's retry pushback are the application's to set.
    md.putBinary("grpc-trace-bin", new byte[] {1})
        .putBinary("grpc-tags-bin", new byte[] {2})
        .put("grpc-retry-pushback-ms", "100")
        .put("x-grpc-test-echo-initial", "ok")
        .put("hostname", "h");
    assertThat(md.size()).isEqualTo(5);
    assertThat(Metadata.isReserved("grpc-trace-bin")).isFalse();
  }

  @Test
  void copiesBinaryValuesInAndOut() {
    byte[] value = {1, 2};
    Metadata md = new Metadata().putBinary("k-bin", value);
    value[0] = 9;
    md.getBinary("k-bin")[1] = 9;
    assertThat(md.getBinary("k-bin")).containsExactly(1, 2);
    Metadata copy = new Metadata(md);
    copy.put("x", "y");
    assertThat(md.size()).isEqualTo(1);
  }

  @Test
  void wireEncodingRoundTrips() {
    Metadata md =
        new Metadata().put("x-a", "hello").putBinary("x-b-bin", new byte[] {0, (byte) 0xFF});
    ByteBuffer b =
        ByteBuffer.allocate(MetadataCodec.encodedSize(md)).order(ByteOrder.LITTLE_ENDIAN);
    MetadataCodec.encode(md, b);
    assertThat(b.remaining()).isZero();
    b.flip();
    Metadata back = MetadataCodec.decode(b);
    assertThat(back.get("x-a")).isEqualTo("hello");
    assertThat(back.getBinary("x-b-bin")).containsExactly(0, 0xFF);
    b.rewind();
    MetadataCodec.skip(b);
    assertThat(b.remaining()).isZero();
  }

  /** The shim's encoding of arbitrary entries (received keys are not checked against RESERVED). */
  static ByteBuffer received(String... keysAndValues) {
    ByteBuffer b = ByteBuffer.allocateDirect(1024).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(keysAndValues.length / 2);
    for (String s : keysAndValues) {
      byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      b.putInt(bytes.length).put(bytes);
    }
    return b.flip();
  }

  @Test
  void decodingReusesCommonKeysAndRepeatedValuesWithoutMixingThemUp() {
    String longValue = "v".repeat(300); // larger than the decoder's first scratch buffer
    for (int round = 0; round < 3; round++) {
      Metadata md =
          MetadataCodec.decode(
              received(
                  "user-agent", "grpc-java/1.76 \u00e9",
                  "x-custom", longValue,
                  "user-agent", "grpc-c/29",
                  "grpc-accept-encoding", "gzip",
                  "x-data-bin", "\u00ff\u0000"));
      assertThat(md.getAll("user-agent")).containsExactly("grpc-java/1.76 \u00e9", "grpc-c/29");
      assertThat(md.get("x-custom")).isEqualTo(longValue);
      assertThat(md.get("grpc-accept-encoding")).isEqualTo("gzip");
      assertThat(md.getBinary("x-data-bin")).containsExactly(0xFF, 0);
    }
    Metadata first = MetadataCodec.decode(received("user-agent", "same"));
    Metadata second = MetadataCodec.decode(received("user-agent", "same"));
    assertThat(second.get("user-agent")).isSameAs(first.get("user-agent"));
    Metadata other = MetadataCodec.decode(received("user-agent", "samf"));
    assertThat(other.get("user-agent")).isEqualTo("samf");
    assertThat(MetadataCodec.decode(received()).isEmpty()).isTrue();
  }
}
