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
    private Path rootsFile; // where roots came from, if a file
    private Path keyFile;
    private Path chainFile;
    private java.time.Duration refresh; // null: read once

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
      this.keyFile = null;
      this.chainFile = null;
      return this;
    }

    /** {@link #keyManager(String, String)} reading both files. */
    public Builder keyManager(Path certChain, Path privateKey) {
      keyManager(TlsConfig.read(certChain), TlsConfig.read(privateKey));
      this.chainFile = certChain;
      this.keyFile = privateKey;
      return this;
    }

    /**
     * {@link #keyManager(String, String)} from the only key entry of {@code keyStore} (PKCS#12 or
     * JKS, loaded): its certificate chain and private key.
     *
     * @throws IllegalArgumentException if it has no key entry or several, or {@code password} does
     *     not open it
     */
    public Builder keyManager(java.security.KeyStore keyStore, char[] password) {
      return keyManager(keyStore, null, password);
    }

    /** {@link #keyManager(java.security.KeyStore, char[])} from the key entry {@code alias}. */
    public Builder keyManager(java.security.KeyStore keyStore, String alias, char[] password) {
      String[] pair = TlsConfig.keyPairFromKeyStore(keyStore, alias, password);
      return keyManager(pair[0], pair[1]);
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
      this.rootsFile = null;
      return this;
    }

    /**
     * {@link #trustManager(String)} with every certificate of {@code trustStore} (a loaded PKCS#12
     * or JKS key store).
     *
     * @throws IllegalArgumentException if it holds no certificate
     */
    public Builder trustManager(java.security.KeyStore trustStore) {
      return trustManager(TlsConfig.certificatesFromKeyStore(trustStore));
    }

    /** {@link #trustManager(String)} reading the file. */
    public Builder trustManager(Path rootCertificates) {
      trustManager(TlsConfig.read(rootCertificates));
      this.rootsFile = rootCertificates;
      return this;
    }

    /** {@link #trustManager(String)} reading the stream (not closed). */
    public Builder trustManager(InputStream rootCertificates) {
      return trustManager(TlsConfig.read(rootCertificates));
    }

    /**
     * Re-reads the files given to {@link #keyManager(Path, Path)} and {@link #trustManager(Path)}
     * every {@code interval} (whole seconds, at least 1): a renewed certificate, key or set of
     * roots applies to the handshakes after it was read, without restarting the server (connections
     * already up keep theirs). Replace the files atomically (write elsewhere, then rename), the key
     * and its chain together. The files are also read and checked once, at build, as without this.
     *
     * @throws IllegalArgumentException if {@code interval} is under one second
     */
    public Builder refreshFromFiles(java.time.Duration interval) {
      this.refresh = TlsConfig.Files.checkInterval(interval);
      return this;
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
          new TlsConfig(
              roots,
              privateKey,
              certChain,
              clientAuth.value,
              TlsConfig.Files.of(
                  refresh, privateKey != null, keyFile, chainFile, roots != null, rootsFile)));
    }
  }
}
