// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.internal.wire.NativeBuffer;
import org.junit.jupiter.api.Test;

/** The native libraries load from the build output, without LD_LIBRARY_PATH. */
class NativeLoadingTest {
  @Test
  void loadsAndReportsCoreVersion() {
    assertThat(GrpcJni.isAvailable()).as("cause: %s", GrpcJni.unavailabilityCause()).isTrue();
    assertThat(GrpcJni.unavailabilityCause()).isNull();
    GrpcJni.ensureAvailability();
    assertThat(GrpcJni.coreVersion()).isEqualTo("29.0.0");
  }

  @Test
  void nativeBufferHasAnAddress() {
    NativeBuffer b = NativeBuffer.acquire(10);
    try {
      assertThat(b.address()).isNotZero();
      assertThat(b.capacity()).isGreaterThanOrEqualTo(10);
    } finally {
      b.release();
    }
  }

  @Test
  void sharedConstantsMatchTheCore() {
    for (Status.Code code : Status.Code.values()) {
      assertThat(GrpcJniLib.grpcjni_constant(GrpcJniLib.GRPCJNI_CONST_STATUS_OK + code.value()))
          .as(code.name())
          .isEqualTo(code.value());
    }
    assertThat(GrpcJniLib.grpcjni_constant(GrpcJniLib.GRPCJNI_CONST_WRITE_BUFFER_HINT))
        .isEqualTo(1);
    assertThat(
            GrpcJniLib.grpcjni_constant(GrpcJniLib.GRPCJNI_CONST_DEFAULT_MAX_RECV_MESSAGE_LENGTH))
        .isEqualTo(4 * 1024 * 1024);
  }
}
