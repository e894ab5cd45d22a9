// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 21, defect 6: what becomes a header is checked before it can reach the wire. */
class ChannelBuilderTest {
  @ParameterizedTest
  @ValueSource(strings = {"app/1.0\r\nx-injected: 1", "app\n", "app\u0000", "caf\u00e9"})
  void refusesAUserAgentThatIsNotPrintableAscii(String userAgent) {
    ChannelBuilder b = ChannelBuilder.forTarget("127.0.0.1:1");
    assertThatThrownBy(() -> b.userAgent(userAgent)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.channelArg("grpc.primary_user_agent", userAgent))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.channelArg("grpc.secondary_user_agent", userAgent))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "host\r\nx-injected: 1",
        "host name",
        "",
        "user@host:443",
        "host/path",
        "host?q",
        "host#f",
        "h%zz",
        "h%4"
      })
  void refusesAnAuthorityRfc3986DoesNotAllow(String authority) {
    ChannelBuilder b = ChannelBuilder.forTarget("127.0.0.1:1");
    assertThatThrownBy(() -> b.overrideAuthority(authority))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.channelArg("grpc.default_authority", authority))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"foo.test.google.fr", "localhost:50051", "[::1]:443", "a-b_c~d%41.example"})
  void acceptsWellFormedAuthorities(String authority) {
    assertThatCode(() -> ChannelBuilder.forTarget("127.0.0.1:1").overrideAuthority(authority))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"my-app/1.2.3 (linux; x86_64)", ""})
  void acceptsAPrintableUserAgent(String userAgent) {
    assertThatCode(() -> ChannelBuilder.forTarget("127.0.0.1:1").userAgent(userAgent))
        .doesNotThrowAnyException();
  }
}
