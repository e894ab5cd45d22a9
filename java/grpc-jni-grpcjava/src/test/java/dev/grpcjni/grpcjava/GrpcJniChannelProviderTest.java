// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CompressorRegistry;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** How grpc-java finds the provider, and what it declines so that Netty takes over. */
class GrpcJniChannelProviderTest {
  @Test
  void grpcJavasEntryPointsPickGrpcJni() {
    assertThat(ManagedChannelBuilder.forTarget("localhost:1"))
        .isInstanceOf(GrpcJniChannelBuilder.class);
    assertThat(ManagedChannelBuilder.forAddress("localhost", 1))
        .isInstanceOf(GrpcJniChannelBuilder.class);
    assertThat(Grpc.newChannelBuilder("localhost:1", InsecureChannelCredentials.create()))
        .isInstanceOf(GrpcJniChannelBuilder.class);
    assertThat(Grpc.newChannelBuilder("localhost:1", TlsChannelCredentials.newBuilder().build()))
        .isInstanceOf(GrpcJniChannelBuilder.class);
  }

  @Test
  void trustManagersAreLeftToTheNextProvider() throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((java.security.KeyStore) null);
    ManagedChannelBuilder<?> b =
        Grpc.newChannelBuilder(
            "localhost:1",
            TlsChannelCredentials.newBuilder().trustManager(tmf.getTrustManagers()).build());
    assertThat(b).isNotInstanceOf(GrpcJniChannelBuilder.class);
    assertThat(b.getClass().getName()).contains("Netty");
  }

  @Test
  void priorityIsAboveNettysUnlessConfigured() {
    assertThat(Providers.priorityFrom(null)).isEqualTo(6);
    assertThat(Providers.priorityFrom("2")).isEqualTo(2);
    assertThat(Providers.priorityFrom("eleven")).isEqualTo(6);
    assertThat(Providers.priorityFrom("11")).isEqualTo(6);
  }

  @Test
  void whatTheCoreDoesItselfCannotBeReplaced() {
    GrpcJniChannelBuilder b = GrpcJniChannelBuilder.forTarget("localhost:1");
    assertThatThrownBy(() -> b.compressorRegistry(CompressorRegistry.newEmptyInstance()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(b.compressorRegistry(CompressorRegistry.getDefaultInstance())).isSameAs(b);
    // The C core takes service configs, and checks them as they are set.
    assertThat(b.defaultServiceConfig(java.util.Map.of())).isSameAs(b);
    assertThatThrownBy(() -> b.defaultServiceConfig(java.util.Map.of("methodConfig", 5.0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxInboundMessageSize(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(b.intercept(List.of())).isSameAs(b);
  }
}
