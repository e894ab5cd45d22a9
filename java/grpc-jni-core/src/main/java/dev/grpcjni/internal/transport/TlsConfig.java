// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 */
public record TlsConfig(
    String rootCertificates, String privateKey, String certificateChain, int clientAuth) {

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
      return Files.readString(file, StandardCharsets.ISO_8859_1);
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
}
