// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

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
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads PEM text from {@code file}. */
  public static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
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
    checkText(pem, what);
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      if (f.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .isEmpty()) {
        throw new IllegalArgumentException(what + " holds no certificate");
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(what + " is not PEM X.509: " + e.getMessage(), e);
    }
    return pem;
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
