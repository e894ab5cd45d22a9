// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.client;

import dev.grpcjni.internal.transport.TlsConfig;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS for a channel ({@link ChannelBuilder#tls}): which roots to trust and, for mutual TLS, the
 * client's own certificate. The server's certificate must chain to the roots and name the host of
 * the target (or the {@link ChannelBuilder#overrideAuthority authority override}). The C core
 * negotiates TLS 1.2 or 1.3 with ALPN {@code h2}.
 *
 * <pre>{@code
 * TlsChannelCredentials tls = TlsChannelCredentials.newBuilder()
 *     .trustManager(Path.of("ca.pem"))                           // default: the system's roots
 *     .keyManager(Path.of("client.pem"), Path.of("client.key"))  // only for mutual TLS
 *     .build();
 * Channel channel = ChannelBuilder.forTarget("example.com:443").tls(tls).build();
 * }</pre>
 *
 * <p>Immutable.
 */
public final class TlsChannelCredentials {
  private final TlsConfig config;

  private TlsChannelCredentials(TlsConfig config) {
    this.config = config;
  }

  /**
   * TLS trusting the C core's default roots: the file named by {@code
   * GRPC_DEFAULT_SSL_ROOTS_FILE_PATH} if set, else the system's CA store, else the roots installed
   * with libgrpc ({@code /usr/share/grpc/roots.pem} on Debian).
   */
  public static TlsChannelCredentials create() {
    return newBuilder().build();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** True if the channel presents a client certificate. */
  public boolean hasKeyManager() {
    return config.privateKey() != null;
  }

  TlsConfig config() {
    return config;
  }

  /** Builds {@link TlsChannelCredentials}. Not thread-safe. */
  public static final class Builder {
    private String roots;
    private String privateKey;
    private String certChain;
    private Path rootsFile; // where roots came from, if a file
    private Path keyFile;
    private Path chainFile;
    private java.time.Duration refresh; // null: read once

    private Builder() {}

    /**
     * Trusts only the certificates in {@code rootCertificates} (PEM, one or more).
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
     * or JKS key store, such as a Java trust store).
     *
     * @throws IllegalArgumentException if it holds no certificate
     */
    public Builder trustManager(java.security.KeyStore trustStore) {
      return trustManager(TlsConfig.certificatesFromKeyStore(trustStore));
    }

    /** {@link #trustManager(String)} reading the PEM from {@code rootCertificates}. */
    public Builder trustManager(Path rootCertificates) {
      trustManager(TlsConfig.read(rootCertificates));
      this.rootsFile = rootCertificates;
      return this;
    }

    /** {@link #trustManager(String)} reading the PEM from {@code rootCertificates}. */
    public Builder trustManager(InputStream rootCertificates) {
      return trustManager(TlsConfig.read(rootCertificates));
    }

    /**
     * Presents {@code certChain} (PEM, leaf first) with its {@code privateKey} (PEM; PKCS#1, PKCS#8
     * or SEC1) to servers that ask for a client certificate: mutual TLS.
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
     * Re-reads the files given to {@link #keyManager(Path, Path)} and {@link #trustManager(Path)}
     * every {@code interval} (whole seconds, at least 1): a renewed certificate, key or set of
     * roots applies to the handshakes after it was read, without restarting the channel
     * (connections already up keep theirs). Replace the files atomically (write elsewhere, then
     * rename), the key and its chain together. The files are also read and checked once, at build,
     * as without this.
     *
     * @throws IllegalArgumentException if {@code interval} is under one second
     */
    public Builder refreshFromFiles(java.time.Duration interval) {
      this.refresh = TlsConfig.Files.checkInterval(interval);
      return this;
    }

    public TlsChannelCredentials build() {
      return new TlsChannelCredentials(
          new TlsConfig(
              roots,
              privateKey,
              certChain,
              0,
              TlsConfig.Files.of(
                  refresh, privateKey != null, keyFile, chainFile, roots != null, rootsFile)));
    }
  }
}
