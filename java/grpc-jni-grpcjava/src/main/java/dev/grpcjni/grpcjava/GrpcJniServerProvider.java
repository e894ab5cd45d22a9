// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerProvider;
import io.grpc.TlsServerCredentials;
import java.util.EnumSet;
import java.util.Set;

/**
 * Makes grpc-java's server builders ({@code ServerBuilder.forPort}, {@code
 * Grpc.newServerBuilderForPort}) build servers on the C core when this jar is on the class path.
 * Priority and availability as {@link GrpcJniChannelProvider}'s. Credentials: insecure, and TLS
 * with a PEM certificate chain and key (and PEM roots to check client certificates); anything else
 * is declined, so that the next provider (Netty) takes the server.
 */
public final class GrpcJniServerProvider extends ServerProvider {
  private static final Set<TlsServerCredentials.Feature> UNDERSTOOD =
      EnumSet.of(TlsServerCredentials.Feature.MTLS);

  /** Made by ServiceLoader. */
  public GrpcJniServerProvider() {}

  @Override
  protected boolean isAvailable() {
    return Providers.available();
  }

  @Override
  protected int priority() {
    return Providers.priority();
  }

  @Override
  protected GrpcJniServerBuilder builderForPort(int port) {
    return GrpcJniServerBuilder.forPort(port);
  }

  @Override
  protected NewServerBuilderResult newServerBuilderForPort(int port, ServerCredentials creds) {
    if (creds instanceof InsecureServerCredentials) {
      return NewServerBuilderResult.serverBuilder(GrpcJniServerBuilder.forPort(port));
    }
    if (creds instanceof TlsServerCredentials) {
      TlsServerCredentials tls = (TlsServerCredentials) creds;
      Set<TlsServerCredentials.Feature> unknown = tls.incomprehensible(UNDERSTOOD);
      if (!unknown.isEmpty()) {
        return NewServerBuilderResult.error("grpc-jni: TLS features not supported: " + unknown);
      }
      if (tls.getKeyManagers() != null || tls.getTrustManagers() != null) {
        return NewServerBuilderResult.error(
            "grpc-jni: TLS key and trust managers cannot be handed to the C core; use PEM");
      }
      if (tls.getPrivateKeyPassword() != null) {
        return NewServerBuilderResult.error("grpc-jni: encrypted private keys are not supported");
      }
      dev.grpcjni.server.TlsServerCredentials.Builder b =
          dev.grpcjni.server.TlsServerCredentials.newBuilder()
              .keyManager(
                  GrpcJniChannelBuilder.pem(tls.getCertificateChain()),
                  GrpcJniChannelBuilder.pem(tls.getPrivateKey()));
      if (tls.getRootCertificates() != null) {
        b.trustManager(GrpcJniChannelBuilder.pem(tls.getRootCertificates()));
      }
      switch (tls.getClientAuth()) {
        case REQUIRE:
          b.clientAuth(dev.grpcjni.server.TlsServerCredentials.ClientAuth.REQUIRE);
          break;
        case OPTIONAL:
          b.clientAuth(dev.grpcjni.server.TlsServerCredentials.ClientAuth.OPTIONAL);
          break;
        default:
          break;
      }
      return NewServerBuilderResult.serverBuilder(
          GrpcJniServerBuilder.forPort(port).tls(b.build()));
    }
    return NewServerBuilderResult.error(
        "grpc-jni: server credentials not supported: " + creds.getClass().getName());
  }
}
