// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ProtoMarshallerTest {
  static Struct sample() {
    return Struct.newBuilder()
        .putFields("name", Value.newBuilder().setStringValue("caf\u00e9").build())
        .putFields("n", Value.newBuilder().setNumberValue(42.5).build())
        .build();
  }

  @Test
  void roundTripsThroughDirectAndHeapBuffers() {
    ProtoMarshaller<Struct> m = ProtoMarshaller.of(Struct.getDefaultInstance());
    Struct s = sample();
    for (ByteBuffer b :
        new ByteBuffer[] {
          ByteBuffer.allocateDirect(m.serializedSize(s)), ByteBuffer.allocate(m.serializedSize(s))
        }) {
      m.serialize(s, b);
      assertThat(b.remaining()).as("wrote exactly serializedSize bytes").isZero();
      b.flip();
      assertThat(m.parse(b)).isEqualTo(s);
      assertThat(b.remaining()).isZero();
    }
  }

  @Test
  void writesAtTheBuffersPosition() {
    ProtoMarshaller<Timestamp> m = ProtoMarshaller.of(Timestamp.getDefaultInstance());
    Timestamp t = Timestamp.newBuilder().setSeconds(1234567890).setNanos(5).build();
    ByteBuffer b = ByteBuffer.allocateDirect(10 + m.serializedSize(t));
    b.position(10);
    m.serialize(t, b);
    assertThat(b.position()).isEqualTo(10 + m.serializedSize(t));
    b.flip().position(10);
    assertThat(m.parse(b)).isEqualTo(t);
  }

  @Test
  void bytesFieldsDoNotAliasTheReceiveBuffer() {
    ProtoMarshaller<Value> m = ProtoMarshaller.of(Value.getDefaultInstance());
    Value v = Value.newBuilder().setStringValue("x".repeat(100)).build();
    byte[] wire = v.toByteArray();
    Value parsed = m.parse(ByteBuffer.wrap(wire));
    java.util.Arrays.fill(wire, (byte) 0);
    assertThat(parsed.getStringValue()).isEqualTo("x".repeat(100));
    assertThat(ByteString.copyFromUtf8("x").size()).isEqualTo(1);
  }

  @Test
  void malformedInputIsAnIllegalArgument() {
    ProtoMarshaller<Struct> m = ProtoMarshaller.of(Struct.getDefaultInstance());
    for (byte[] bad :
        new byte[][] {{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, {0x0A, 0x7F, 0x01}, {0x0A}}) {
      assertThatThrownBy(() -> m.parse(ByteBuffer.wrap(bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid protobuf message");
    }
    assertThat(m.parse(ByteBuffer.allocate(0))).isEqualTo(Struct.getDefaultInstance());
  }
}
