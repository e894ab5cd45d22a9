// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannelProvider;
import io.grpc.TlsChannelCredentials;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Makes grpc-java's channel builders ({@code ManagedChannelBuilder.forTarget}, {@code
 * Grpc.newChannelBuilder}, …) build channels on the C core when this jar is on the class path.
 *
 * <p>Its priority, 6, is above Netty's 5; the system property {@code grpcjni.grpcjava.priority} (0
 * to 10) changes it. Where the native libraries cannot load, it is not available and grpc-java
 * takes its next provider. Credentials: insecure, and TLS with PEM roots, certificate chain and
 * key; anything else (key or trust managers, ALTS, Google's) is declined, so that the next provider
 * (Netty) takes the channel.
 */
public final class GrpcJniChannelProvider extends ManagedChannelProvider {
  /** The priority without the system property {@code grpcjni.grpcjava.priority}. */
  public static final int DEFAULT_PRIORITY = Providers.DEFAULT_PRIORITY;

  /** What TLS features grpc-jni's credentials carry. */
  private static final Set<TlsChannelCredentials.Feature> UNDERSTOOD =
      EnumSet.of(TlsChannelCredentials.Feature.MTLS);

  /** Made by ServiceLoader. */
  public GrpcJniChannelProvider() {}

  @Override
  protected boolean isAvailable() {
    return Providers.available();
  }

  @Override
  protected int priority() {
    return Providers.priority();
  }

  @Override
  protected GrpcJniChannelBuilder builderForAddress(String name, int port) {
    return GrpcJniChannelBuilder.forAddress(name, port);
  }

  @Override
  protected GrpcJniChannelBuilder builderForTarget(String target) {
    return GrpcJniChannelBuilder.forTarget(target);
  }

  @Override
  protected NewChannelBuilderResult newChannelBuilder(String target, ChannelCredentials creds) {
    if (creds instanceof io.grpc.CompositeChannelCredentials) {
      io.grpc.CompositeChannelCredentials composite = (io.grpc.CompositeChannelCredentials) creds;
      NewChannelBuilderResult inner = newChannelBuilder(target, composite.getChannelCredentials());
      if (inner.getChannelBuilder() instanceof GrpcJniChannelBuilder) {
        ((GrpcJniChannelBuilder) inner.getChannelBuilder())
            .callCredentials(composite.getCallCredentials());
      }
      return inner;
    }
    if (creds instanceof InsecureChannelCredentials) {
      return NewChannelBuilderResult.channelBuilder(
          GrpcJniChannelBuilder.forTarget(target).usePlaintext());
    }
    if (creds instanceof TlsChannelCredentials) {
      TlsChannelCredentials tls = (TlsChannelCredentials) creds;
      Set<TlsChannelCredentials.Feature> unknown = tls.incomprehensible(UNDERSTOOD);
      if (!unknown.isEmpty()) {
        return NewChannelBuilderResult.error("grpc-jni: TLS features not supported: " + unknown);
      }
      if (tls.getKeyManagers() != null || tls.getTrustManagers() != null) {
        return NewChannelBuilderResult.error(
            "grpc-jni: TLS key and trust managers cannot be handed to the C core; use PEM");
      }
      if (tls.getPrivateKeyPassword() != null) {
        return NewChannelBuilderResult.error("grpc-jni: encrypted private keys are not supported");
      }
      dev.grpcjni.client.TlsChannelCredentials.Builder b =
          dev.grpcjni.client.TlsChannelCredentials.newBuilder();
      if (tls.getRootCertificates() != null) {
        b.trustManager(GrpcJniChannelBuilder.pem(tls.getRootCertificates()));
      }
      if (tls.getCertificateChain() != null) {
        b.keyManager(
            GrpcJniChannelBuilder.pem(tls.getCertificateChain()),
            GrpcJniChannelBuilder.pem(tls.getPrivateKey()));
      }
      return NewChannelBuilderResult.channelBuilder(
          GrpcJniChannelBuilder.forTarget(target).tls(b.build()));
    }
    return NewChannelBuilderResult.error(
        "grpc-jni: channel credentials not supported: " + creds.getClass().getName());
  }

  @Override
  protected Collection<Class<? extends SocketAddress>> getSupportedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }
}
