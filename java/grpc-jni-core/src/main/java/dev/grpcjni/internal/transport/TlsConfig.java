// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * TLS material as the shim takes it: PEM text, null where absent. Built by the public credentials
 * classes, which check it here so that a bad file fails at build time with a message rather than as
 * an UNAVAILABLE handshake later.
 *
 * @param rootCertificates roots the peer's certificate must chain to; null for the C core's
 *     defaults (client) or no client verification (server)
 * @param privateKey own private key, or null (client without mutual TLS)
 * @param certificateChain own certificate chain, or null with {@code privateKey}
 * @param clientAuth a GRPCJNI_CLIENT_AUTH_* value (servers only)
 * @param files the files the C core is to re-read instead of the PEM above, or null
 */
public record TlsConfig(
    String rootCertificates,
    String privateKey,
    String certificateChain,
    int clientAuth,
    Files files) {

  /**
   * PEM files the C core re-reads every {@code refreshSeconds}; a path is null where the PEM is not
   * from a file (roots: then the C core's defaults on a client).
   */
  public record Files(String rootsPath, String keyPath, String chainPath, int refreshSeconds) {
    /** {@code interval}, if it is at least a second. */
    public static java.time.Duration checkInterval(java.time.Duration interval) {
      java.util.Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(java.time.Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "refreshFromFiles interval must be at least 1 s: " + interval);
      }
      return interval;
    }

    /**
     * The files to re-read every {@code refresh} (null: none, returns null), checking that what
     * there is to re-read came from files.
     *
     * @throws IllegalStateException if the key or the roots were given as text or key stores
     */
    public static Files of(
        java.time.Duration refresh,
        boolean hasKey,
        Path keyFile,
        Path chainFile,
        boolean hasRoots,
        Path rootsFile) {
      if (refresh == null) {
        return null;
      }
      if (hasKey && keyFile == null) {
        throw new IllegalStateException(
            "refreshFromFiles needs the key from keyManager(Path, Path)");
      }
      if (hasRoots && rootsFile == null) {
        throw new IllegalStateException("refreshFromFiles needs the roots from trustManager(Path)");
      }
      if (keyFile == null && rootsFile == null) {
        throw new IllegalStateException(
            "refreshFromFiles needs keyManager(Path, Path) or trustManager(Path)");
      }
      return new Files(
          rootsFile == null ? null : rootsFile.toAbsolutePath().toString(),
          keyFile == null ? null : keyFile.toAbsolutePath().toString(),
          chainFile == null ? null : chainFile.toAbsolutePath().toString(),
          (int) Math.min(Integer.MAX_VALUE, refresh.getSeconds()));
    }
  }

  /**
   * Not TLS: the C core's local credentials (UDS for {@code unix:} targets and addresses, local TCP
   * for loopback ones); {@link #isLocal()}.
   */
  public static final TlsConfig LOCAL = new TlsConfig(null, null, null, -1, null);

  /** Whether this is {@link #LOCAL}. */
  public boolean isLocal() {
    return clientAuth == -1;
  }

  /** Material given as PEM, not re-read. */
  public TlsConfig(
      String rootCertificates, String privateKey, String certificateChain, int clientAuth) {
    this(rootCertificates, privateKey, certificateChain, clientAuth, null);
  }

  /** Reads PEM text from {@code in} (not closed). */
  public static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads PEM text from {@code file}. */
  public static String read(Path file) {
    try {
      // Latin-1 maps every byte: bundles with UTF-8 comments read as they are.
      return java.nio.file.Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks that {@code pem} holds at least one X.509 certificate.
   *
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static String checkCertificates(String pem, String what) {
    certificates(pem, what);
    return pem;
  }

  /**
   * The certificates in {@code pem}, which must be PEM CERTIFICATE blocks (what the core reads).
   */
  private static List<? extends Certificate> certificates(String pem, String what) {
    checkText(pem, what);
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalArgumentException(what + " holds no PEM CERTIFICATE block");
    }
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      List<? extends Certificate> certs =
          List.copyOf(
              f.generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.ISO_8859_1))));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(what + " holds no certificate");
      }
      return certs;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(what + " is not PEM X.509: " + e.getMessage(), e);
    }
  }

  /**
   * Checks a certificate chain and its private key: both PEM, and for a PKCS#8 key ({@code BEGIN
   * PRIVATE KEY}) that it belongs to the chain's first certificate (a signature made with the key
   * verifies with the certificate). PKCS#1 and SEC1 keys are left to the C core, which refuses a
   * mismatch when the channel or port is created.
   *
   * @throws IllegalArgumentException for malformed PEM or a key that does not match
   */
  public static void checkKeyPair(String certChain, String privateKey) {
    Certificate leaf = certificates(certChain, "certificate chain").get(0);
    checkPrivateKey(privateKey);
    String begin = "-----BEGIN PRIVATE KEY-----";
    int at = privateKey.indexOf(begin);
    if (at < 0) {
      return;
    }
    int end = privateKey.indexOf("-----END PRIVATE KEY-----", at);
    if (end < 0) {
      throw new IllegalArgumentException("private key: unterminated PEM block");
    }
    PublicKey pub = leaf.getPublicKey();
    String alg =
        switch (pub.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> pub.getAlgorithm();
          default -> null; // a key type we do not check: the C core will
        };
    if (alg == null) {
      return;
    }
    boolean matches;
    try {
      byte[] der = Base64.getMimeDecoder().decode(privateKey.substring(at + begin.length(), end));
      PrivateKey key =
          KeyFactory.getInstance(pub.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
      byte[] probe = "grpc-jni key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      s.initVerify(pub);
      s.update(probe);
      matches = s.verify(sig);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "private key is not a valid "
              + pub.getAlgorithm()
              + " PKCS#8 key for the certificate: "
              + e.getMessage(),
          e);
    }
    if (!matches) {
      throw new IllegalArgumentException(
          "private key does not match the certificate chain's first certificate");
    }
  }

  /** The material without the private key. */
  @Override
  public String toString() {
    return "TlsConfig{roots="
        + (rootCertificates != null)
        + ", key="
        + (privateKey != null)
        + ", clientAuth="
        + clientAuth
        + "}";
  }

  /**
   * Checks that {@code pem} looks like a PEM private key (PKCS#1, PKCS#8 or EC); the C core parses
   * it.
   */
  public static String checkPrivateKey(String pem) {
    checkText(pem, "private key");
    if (!pem.contains("-----BEGIN") || !pem.contains("PRIVATE KEY-----")) {
      throw new IllegalArgumentException("private key is not a PEM private key");
    }
    return pem;
  }

  private static void checkText(String pem, String what) {
    if (pem.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " contains NUL");
    }
  }

  // ---- Java key stores (PKCS#12, JKS) to the PEM the C core takes

  /**
   * The key entry {@code alias} of {@code keyStore} (null: its only key entry) as PEM: {chain,
   * key}.
   *
   * @throws IllegalArgumentException if there is no such entry, several and no alias, the password
   *     does not open it, or the key cannot be exported
   */
  public static String[] keyPairFromKeyStore(
      java.security.KeyStore keyStore, String alias, char[] password) {
    java.util.Objects.requireNonNull(keyStore, "keyStore");
    try {
      String a = alias;
      if (a == null) {
        for (String candidate : java.util.Collections.list(keyStore.aliases())) {
          if (keyStore.isKeyEntry(candidate)) {
            if (a != null) {
              throw new IllegalArgumentException(
                  "key store has several key entries; name one ("
                      + a
                      + ", "
                      + candidate
                      + ", ...)");
            }
            a = candidate;
          }
        }
        if (a == null) {
          throw new IllegalArgumentException("key store has no key entry");
        }
      } else if (!keyStore.isKeyEntry(a)) {
        throw new IllegalArgumentException("key store has no key entry " + a);
      }
      java.security.Key key = keyStore.getKey(a, password);
      if (!(key instanceof PrivateKey) || key.getEncoded() == null) {
        throw new IllegalArgumentException(
            "key store entry " + a + " has no exportable private key");
      }
      Certificate[] chain = keyStore.getCertificateChain(a);
      if (chain == null || chain.length == 0) {
        throw new IllegalArgumentException("key store entry " + a + " has no certificate chain");
      }
      StringBuilder pem = new StringBuilder();
      for (Certificate c : chain) {
        pem.append(pem("CERTIFICATE", c.getEncoded()));
      }
      String keyPem = pem("PRIVATE KEY", key.getEncoded()); // PKCS#8
      checkKeyPair(pem.toString(), keyPem);
      return new String[] {pem.toString(), keyPem};
    } catch (java.security.UnrecoverableKeyException e) {
      throw new IllegalArgumentException("the password does not open the key store's key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the key store: " + e.getMessage(), e);
    }
  }

  /**
   * Every certificate of {@code trustStore} (trusted-certificate entries, and the leaf of key
   * entries) as a PEM bundle.
   *
   * @throws IllegalArgumentException if it holds none
   */
  public static String certificatesFromKeyStore(java.security.KeyStore trustStore) {
    java.util.Objects.requireNonNull(trustStore, "trustStore");
    try {
      StringBuilder pem = new StringBuilder();
      for (String a : java.util.Collections.list(trustStore.aliases())) {
        Certificate c = trustStore.getCertificate(a);
        if (c != null) {
          pem.append(pem("CERTIFICATE", c.getEncoded()));
        }
      }
      if (pem.length() == 0) {
        throw new IllegalArgumentException("trust store holds no certificate");
      }
      return pem.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the trust store: " + e.getMessage(), e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
