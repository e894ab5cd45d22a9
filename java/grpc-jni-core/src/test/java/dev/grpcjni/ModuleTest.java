// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The core artifact is a JPMS module that exports its API packages and nothing internal. */
class ModuleTest {
  @Test
  void exportsTheApiPackagesOnly() {
    Module module = ClientCall.class.getModule();
    assertThat(module.isNamed()).as("the tests run on the module path").isTrue();
    ModuleDescriptor d = module.getDescriptor();
    assertThat(d.name()).isEqualTo("dev.grpcjni");
    assertThat(
            d.exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(
            "dev.grpcjni",
            "dev.grpcjni.client",
            "dev.grpcjni.codec",
            "dev.grpcjni.server",
            "dev.grpcjni.stub");
    assertThat(d.packages()).contains("dev.grpcjni.internal.call", "dev.grpcjni.internal.ffi");
    assertThat(d.opens())
        .allSatisfy(o -> assertThat(o.targets()).containsExactly("org.bytedeco.javacpp"));
  }
}
