// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.server;

import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.internal.transport.TlsConfig;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS for a server ({@link ServerBuilder#tls}): its certificate chain and private key, and whether
 * clients must present certificates (mutual TLS), verified against which roots.
 *
 * <pre>{@code
 * TlsServerCredentials tls = TlsServerCredentials.newBuilder()
 *     .keyManager(Path.of("server.pem"), Path.of("server.key"))
 *     .trustManager(Path.of("client-ca.pem"))      // only for mutual TLS
 *     .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
 *     .build();
 * Server server = ServerBuilder.forPort(8443).tls(tls).addService(...).build().start();
 * }</pre>
 *
 * <p>A key the C core cannot load (wrong format, not matching the certificate) makes {@link
 * Server#start()} fail with an {@link java.io.IOException}.
 *
 * <p>Immutable.
 */
public final class TlsServerCredentials {
  /** Whether the server asks for a client certificate. */
  public enum ClientAuth {
    /** Does not ask: plain server-authenticated TLS. */
    NONE(GrpcJniLib.GRPCJNI_CLIENT_AUTH_NONE),
    /** Asks, and verifies a certificate the client sends; a client without one is accepted. */
    OPTIONAL(GrpcJniLib.GRPCJNI_CLIENT_AUTH_OPTIONAL),
    /** Requires a certificate that verifies against the trusted roots: mutual TLS. */
    REQUIRE(GrpcJniLib.GRPCJNI_CLIENT_AUTH_REQUIRE);

    final int value;

    ClientAuth(int value) {
      this.value = value;
    }
  }

  private final TlsConfig config;

  private TlsServerCredentials(TlsConfig config) {
    this.config = config;
  }

  /** Server-authenticated TLS with {@code certChain} and {@code privateKey} (PEM files). */
  public static TlsServerCredentials create(Path certChain, Path privateKey) {
    return newBuilder().keyManager(certChain, privateKey).build();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** The client-certificate policy. */
  public ClientAuth clientAuth() {
    for (ClientAuth a : ClientAuth.values()) {
      if (a.value == config.clientAuth()) {
        return a;
      }
    }
    throw new AssertionError(config.clientAuth());
  }

  TlsConfig config() {
    return config;
  }

  /** Builds {@link TlsServerCredentials}. Not thread-safe. */
  public static final class Builder {
    private String roots;
    private String privateKey;
    private String certChain;
    private ClientAuth clientAuth = ClientAuth.NONE;

    private Builder() {}

    /**
     * The server's certificate chain (PEM, leaf first) and private key (PEM; PKCS#1, PKCS#8 or
     * SEC1). Required.
     *
     * @throws IllegalArgumentException if either is not PEM of the right kind, or a PKCS#8 key does
     *     not belong to the chain's first certificate
     */
    public Builder keyManager(String certChain, String privateKey) {
      TlsConfig.checkKeyPair(certChain, privateKey);
      this.certChain = certChain;
      this.privateKey = privateKey;
      return this;
    }

    /** {@link #keyManager(String, String)} reading both files. */
    public Builder keyManager(Path certChain, Path privateKey) {
      return keyManager(TlsConfig.read(certChain), TlsConfig.read(privateKey));
    }

    /** {@link #keyManager(String, String)} reading both streams (not closed). */
    public Builder keyManager(InputStream certChain, InputStream privateKey) {
      Objects.requireNonNull(privateKey, "privateKey");
      return keyManager(TlsConfig.read(certChain), TlsConfig.read(privateKey));
    }

    /**
     * The roots client certificates must chain to (PEM). Required unless {@link #clientAuth} is
     * {@link ClientAuth#NONE}.
     *
     * @throws IllegalArgumentException if it holds no PEM certificate
     */
    public Builder trustManager(String rootCertificates) {
      this.roots = TlsConfig.checkCertificates(rootCertificates, "root certificates");
      return this;
    }

    /** {@link #trustManager(String)} reading the file. */
    public Builder trustManager(Path rootCertificates) {
      return trustManager(TlsConfig.read(rootCertificates));
    }

    /** {@link #trustManager(String)} reading the stream (not closed). */
    public Builder trustManager(InputStream rootCertificates) {
      return trustManager(TlsConfig.read(rootCertificates));
    }

    /** Whether to ask clients for certificates; default {@link ClientAuth#NONE}. */
    public Builder clientAuth(ClientAuth clientAuth) {
      this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
      return this;
    }

    /**
     * @throws IllegalStateException without a key manager, or with client authentication but no
     *     trust manager
     */
    public TlsServerCredentials build() {
      if (privateKey == null) {
        throw new IllegalStateException("keyManager is required");
      }
      if (clientAuth != ClientAuth.NONE && roots == null) {
        throw new IllegalStateException("clientAuth " + clientAuth + " needs a trustManager");
      }
      return new TlsServerCredentials(
          new TlsConfig(roots, privateKey, certChain, clientAuth.value));
    }
  }
}
