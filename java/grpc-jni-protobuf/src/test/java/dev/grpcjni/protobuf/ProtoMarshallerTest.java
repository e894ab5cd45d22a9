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

  @Test
  void smallAndLargeMessagesEncodeAsProtobufDoesOneAfterAnother() {
    ProtoMarshaller<Value> m = ProtoMarshaller.of(Value.getDefaultInstance());
    // Around the size where encoding moves from the thread's encoder to a direct one, repeatedly
    // on one thread: every message is exactly protobuf's own encoding, nothing carried over.
    for (int round = 0; round < 3; round++) {
      for (int n :
          new int[] {
            0, 1, 100, ProtoMarshaller.SMALL_MESSAGE - 3, ProtoMarshaller.SMALL_MESSAGE, 70_000
          }) {
        Value v = Value.newBuilder().setStringValue("y".repeat(n)).build();
        for (ByteBuffer b :
            new ByteBuffer[] {
              ByteBuffer.allocateDirect(m.serializedSize(v)),
              ByteBuffer.allocate(m.serializedSize(v))
            }) {
          m.serialize(v, b);
          assertThat(b.remaining()).isZero();
          byte[] got = new byte[b.flip().remaining()];
          b.get(got);
          assertThat(got).as("size %d", n).isEqualTo(v.toByteArray());
        }
      }
    }
  }

  @Test
  void aTargetTooSmallFailsAndLeavesNothingForTheNextMessage() {
    ProtoMarshaller<Value> m = ProtoMarshaller.of(Value.getDefaultInstance());
    Value v = Value.newBuilder().setStringValue("z".repeat(50)).build();
    ByteBuffer small = ByteBuffer.allocate(m.serializedSize(v) - 1);
    assertThatThrownBy(() -> m.serialize(v, small)).isInstanceOf(RuntimeException.class);
    Timestamp t = Timestamp.newBuilder().setSeconds(7).build();
    ByteBuffer b = ByteBuffer.allocate(m.serializedSize(v) + 100);
    ProtoMarshaller<Timestamp> tm = ProtoMarshaller.of(Timestamp.getDefaultInstance());
    tm.serialize(t, b);
    assertThat(b.position()).isEqualTo(tm.serializedSize(t));
    assertThat(tm.parse(b.flip())).isEqualTo(t);
  }

  @Test
  void encodesOnVirtualThreadsToo() throws Exception {
    java.lang.reflect.Method ofVirtual;
    try {
      ofVirtual = Thread.class.getMethod("ofVirtual");
    } catch (NoSuchMethodException e) {
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "no virtual threads before Java 21");
      return;
    }
    Object builder = ofVirtual.invoke(null);
    ProtoMarshaller<Struct> m = ProtoMarshaller.of(Struct.getDefaultInstance());
    Struct s = sample();
    java.util.concurrent.atomic.AtomicReference<Struct> parsed =
        new java.util.concurrent.atomic.AtomicReference<>();
    Runnable task =
        () -> {
          ByteBuffer b = ByteBuffer.allocateDirect(m.serializedSize(s));
          m.serialize(s, b);
          parsed.set(m.parse(b.flip()));
        };
    // Through the public interface: the builder's own class is not accessible.
    Thread t =
        (Thread)
            Class.forName("java.lang.Thread$Builder")
                .getMethod("start", Runnable.class)
                .invoke(builder, task);
    t.join(10_000);
    assertThat(parsed.get()).isEqualTo(s);
  }
}
