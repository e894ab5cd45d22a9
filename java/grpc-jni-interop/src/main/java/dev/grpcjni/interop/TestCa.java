// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.interop;

import dev.grpcjni.client.TlsChannelCredentials;
import dev.grpcjni.server.TlsServerCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * gRPC's interop test certificates: the test CA and {@code server1} (valid for {@code
 * *.test.google.fr}, hence {@link #SERVER_HOST_OVERRIDE}). They are read from grpc-java's {@code
 * grpc-testing} jar on the classpath, which ships them as resources; this repository commits none.
 */
public final class TestCa {
  /** The name server1's certificate is valid for, used by every interop client with the test CA. */
  public static final String SERVER_HOST_OVERRIDE = "foo.test.google.fr";

  private TestCa() {}

  /** The server's TLS credentials: server1.pem and server1.key. */
  public static TlsServerCredentials serverCredentials() {
    try (InputStream chain = open("server1.pem");
        InputStream key = open("server1.key")) {
      return TlsServerCredentials.newBuilder().keyManager(chain, key).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Client credentials trusting only the test CA (ca.pem). */
  public static TlsChannelCredentials trustingTestCa() {
    try (InputStream ca = open("ca.pem")) {
      return TlsChannelCredentials.newBuilder().trustManager(ca).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String name) {
    InputStream in = TestCa.class.getResourceAsStream("/certs/" + name);
    if (in == null) {
      throw new IllegalStateException(
          "certs/" + name + " is not on the classpath: it comes from io.grpc:grpc-testing");
    }
    return in;
  }
}
