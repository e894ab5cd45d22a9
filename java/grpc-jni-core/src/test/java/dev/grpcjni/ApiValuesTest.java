// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.codec.Marshaller;
import dev.grpcjni.codec.Marshallers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Status, Deadline, MethodDescriptor and the core marshallers. */
class ApiValuesTest {
  @Test
  void statusCodesMapBothWays() {
    for (Status.Code c : Status.Code.values()) {
      assertThat(Status.Code.fromValue(c.value())).isSameAs(c);
      assertThat(Status.fromCodeValue(c.value()).code()).isSameAs(c);
    }
    assertThat(Status.Code.fromValue(99)).isEqualTo(Status.Code.UNKNOWN);
    assertThat(Status.Code.fromValue(-1)).isEqualTo(Status.Code.UNKNOWN);
  }

  @Test
  void statusIsImmutableAndFoundInCauses() {
    Status s = Status.NOT_FOUND.withDescription("x").withDetails(new byte[] {1});
    assertThat(Status.NOT_FOUND.description()).isNull();
    s.details()[0] = 5;
    assertThat(s.details()).containsExactly(1);
    assertThat(s).isEqualTo(Status.NOT_FOUND.withDescription("x").withDetails(new byte[] {1}));
    StatusException e = s.asException();
    assertThat(e.getMessage()).isEqualTo("NOT_FOUND: x");
    assertThat(e.trailers().isEmpty()).isTrue();
    assertThat(Status.fromThrowable(new CompletionException(e))).isSameAs(s);
    assertThat(Status.fromThrowable(new IllegalStateException()).code())
        .isEqualTo(Status.Code.UNKNOWN);
  }

  @Test
  void deadlinesCompareAndSaturate() {
    Deadline soon = Deadline.after(Duration.ofMillis(10));
    Deadline later = Deadline.after(1, TimeUnit.HOURS);
    assertThat(soon.minimum(later)).isSameAs(soon);
    assertThat(soon).isLessThan(later);
    assertThat(later.isExpired()).isFalse();
    assertThat(Deadline.after(Duration.ofMillis(-1)).isExpired()).isTrue();
    assertThat(later.timeRemaining(TimeUnit.MINUTES)).isBetween(59L, 60L);
    Deadline never = Deadline.after(Duration.ofSeconds(Long.MAX_VALUE));
    assertThat(never.timeRemaining().toDays()).isGreaterThan(365L * 100);
  }

  @Test
  void methodDescriptorsValidateNames() {
    MethodDescriptor<byte[], byte[]> m =
        MethodDescriptor.unary("pkg.Svc/Do", Marshallers.bytes(), Marshallers.bytes());
    assertThat(m.path()).isEqualTo("/pkg.Svc/Do");
    assertThat(m.serviceName()).isEqualTo("pkg.Svc");
    assertThat(m.methodName()).isEqualTo("Do");
    for (String bad : new String[] {"NoSlash", "/Leading", "Trailing/", "a/b/c", "sp ace/x"}) {
      assertThatThrownBy(
              () -> MethodDescriptor.unary(bad, Marshallers.bytes(), Marshallers.bytes()))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static <T> T roundTrip(Marshaller<T> m, T value) {
    ByteBuffer b = ByteBuffer.allocateDirect(m.serializedSize(value));
    m.serialize(value, b);
    assertThat(b.remaining()).isZero();
    b.flip();
    return m.parse(b);
  }

  @Test
  void marshallersDeclareExactSizes() {
    assertThat(roundTrip(Marshallers.bytes(), new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
    for (String s :
        new String[] {"", "ascii", "caf\u00e9", "\u4e2d\u6587", "\ud83d\ude00", "lone\ud800x"}) {
      String back = roundTrip(Marshallers.utf8(), s);
      assertThat(back).isEqualTo(s.replace('\ud800', '?'));
    }
  }
}
