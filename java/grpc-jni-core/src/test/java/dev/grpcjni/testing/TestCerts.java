// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the JDK's keytool when a test needs it: a CA, a server certificate for
 * {@code foo.test.example} and 127.0.0.1, and a client certificate, all signed by the CA, plus a
 * second CA that signed nothing. Nothing is committed; the keys live in a temporary directory.
 */
public final class TestCerts {
  public static final String SERVER_NAME = "foo.test.example";
  private static final String PASS = "changeit";

  public final String caPem;
  public final String otherCaPem;
  public final String serverChainPem;
  public final String serverKeyPem;
  public final String clientChainPem;
  public final String clientKeyPem;

  /** A second client identity from the same CA (for rotation). */
  public final String client2ChainPem;

  public final String client2KeyPem;
  public final Path dir;

  private static TestCerts instance;

  /** The certificates, made once per JVM. */
  public static synchronized TestCerts get() throws Exception {
    if (instance == null) {
      instance = new TestCerts(Files.createTempDirectory("grpcjni-certs"));
    }
    return instance;
  }

  private TestCerts(Path dir) throws Exception {
    this.dir = dir;
    keypair("ca", "CN=grpc-jni test CA", "bc:c");
    keypair("otherca", "CN=grpc-jni other CA", "bc:c");
    keypair("server", "CN=grpc-jni test server", null);
    keypair("client", "CN=grpc-jni test client", null);
    keypair("client2", "CN=grpc-jni test client 2", null);
    caPem = export("ca");
    otherCaPem = export("otherca");
    serverChainPem = sign("server", "san=dns:" + SERVER_NAME + ",ip:127.0.0.1", "eku=serverAuth");
    clientChainPem = sign("client", "san=dns:client.test.example", "eku=clientAuth");
    serverKeyPem = privateKeyPem("server");
    clientKeyPem = privateKeyPem("client");
    client2ChainPem = sign("client2", "san=dns:client2.test.example", "eku=clientAuth");
    client2KeyPem = privateKeyPem("client2");
  }

  /** Writes {@code pem} to a file in the certificate directory. */
  public Path write(String name, String pem) throws IOException {
    return Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII);
  }

  private void keypair(String alias, String dname, String ext) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-dname",
                dname,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "3"));
    if (ext != null) {
      args.addAll(List.of("-ext", ext));
    }
    keytool(alias, args);
  }

  private String export(String alias) throws Exception {
    keytool(alias, List.of("-exportcert", "-rfc", "-alias", alias, "-file", alias + ".pem"));
    return Files.readString(dir.resolve(alias + ".pem"));
  }

  /** A chain: the leaf signed by the CA, then the CA. */
  private String sign(String alias, String san, String eku) throws Exception {
    keytool(alias, List.of("-certreq", "-alias", alias, "-file", alias + ".csr"));
    keytool(
        "ca",
        List.of(
            "-gencert",
            "-alias",
            "ca",
            "-infile",
            alias + ".csr",
            "-outfile",
            alias + ".pem",
            "-rfc",
            "-validity",
            "3",
            "-ext",
            san,
            "-ext",
            eku));
    return Files.readString(dir.resolve(alias + ".pem")) + caPem;
  }

  private String privateKeyPem(String alias) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
      ks.load(in, PASS.toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey(alias, PASS.toCharArray());
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private void keytool(String store, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(args);
    cmd.addAll(
        List.of(
            "-keystore", store + ".p12", "-storetype", "PKCS12", "-storepass", PASS, "-noprompt"));
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("keytool.log").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(
          "keytool " + args + " failed:\n" + Files.readString(dir.resolve("keytool.log")));
    }
  }
}
