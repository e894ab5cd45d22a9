// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the JDK's keytool when a test needs it: a CA, a server certificate for
 * {@code foo.test.example} and 127.0.0.1, and a client certificate, all signed by the CA, plus a
 * second CA that signed nothing. Nothing is committed. Making them runs keytool thirteen times
 * (about ten seconds), so a build makes them once: the PEMs are kept in {@code
 * target/test-certs-v1} for the JVMs that run in the module after it (the test JVMs, the child JVMs
 * some tests start), and made again when they are a day old (they are valid for three). {@link
 * #dir} is this JVM's own directory for the files a test writes.
 */
public final class TestCerts {
  public static final String SERVER_NAME = "foo.test.example";
  private static final String PASS = "changeit";
  // The recipe's version: a change to what make() makes (names, SANs, files) needs a new one.
  private static final Path CACHE = Path.of("target", "test-certs-v1");
  private static final Duration CACHE_AGE = Duration.ofDays(1);
  private static final List<String> NAMES =
      List.of(
          "ca",
          "otherca",
          "server-chain",
          "server-key",
          "client-chain",
          "client-key",
          "client2-chain",
          "client2-key");

  public final String caPem;
  public final String otherCaPem;
  public final String serverChainPem;
  public final String serverKeyPem;
  public final String clientChainPem;
  public final String clientKeyPem;

  /** A second client identity from the same CA (for rotation). */
  public final String client2ChainPem;

  public final String client2KeyPem;

  /** A directory of this JVM's for the files a test writes. */
  public final Path dir;

  private static TestCerts instance;

  /** The certificates, made once per build (or per JVM outside a Maven module). */
  public static synchronized TestCerts get() throws Exception {
    if (instance == null) {
      instance = new TestCerts(Files.createTempDirectory("grpcjni-certs"), pems());
    }
    return instance;
  }

  private TestCerts(Path dir, Map<String, String> pem) {
    this.dir = dir;
    caPem = pem.get("ca");
    otherCaPem = pem.get("otherca");
    serverChainPem = pem.get("server-chain");
    serverKeyPem = pem.get("server-key");
    clientChainPem = pem.get("client-chain");
    clientKeyPem = pem.get("client-key");
    client2ChainPem = pem.get("client2-chain");
    client2KeyPem = pem.get("client2-key");
  }

  /** The PEMs from the build's cache, or made (and cached when there is a {@code target}). */
  private static Map<String, String> pems() throws Exception {
    Path target = CACHE.getParent();
    if (!Files.isDirectory(target)) {
      return make(Files.createTempDirectory("grpcjni-pki"));
    }
    Map<String, String> cached = load(CACHE);
    if (cached != null) {
      return cached;
    }
    if (Files.exists(CACHE)) { // stale or half there: set it aside, another JVM may be reading it
      try {
        Files.move(CACHE, Files.createTempDirectory(target, "test-certs-old-").resolve("old"));
      } catch (IOException raced) { // another JVM set it aside first
      }
    }
    Path made = Files.createTempDirectory(target, "test-certs-new-");
    Map<String, String> pem = make(made);
    for (String name : NAMES) {
      Files.writeString(made.resolve(name + ".pem"), pem.get(name), StandardCharsets.US_ASCII);
    }
    try {
      Files.move(made, CACHE, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) { // another JVM installed its own first; both are good
    }
    return pem;
  }

  /**
   * The cached PEMs, or null when the cache is missing, incomplete or a day old (or another JVM set
   * it aside while this one read it).
   */
  private static Map<String, String> load(Path cache) {
    Map<String, String> pem = new HashMap<>();
    Instant oldest = Instant.now().minus(CACHE_AGE);
    try {
      for (String name : NAMES) {
        Path file = cache.resolve(name + ".pem");
        if (!Files.isRegularFile(file)
            || Files.getLastModifiedTime(file).toInstant().isBefore(oldest)) {
          return null;
        }
        pem.put(name, Files.readString(file, StandardCharsets.US_ASCII));
      }
    } catch (IOException gone) {
      return null;
    }
    return pem;
  }

  /** Makes the PKI with keytool in {@code work}. */
  private static Map<String, String> make(Path work) throws Exception {
    Keytool k = new Keytool(work);
    k.keypair("ca", "CN=grpc-jni test CA", "bc:c");
    k.keypair("otherca", "CN=grpc-jni other CA", "bc:c");
    k.keypair("server", "CN=grpc-jni test server", null);
    k.keypair("client", "CN=grpc-jni test client", null);
    k.keypair("client2", "CN=grpc-jni test client 2", null);
    Map<String, String> pem = new HashMap<>();
    String ca = k.export("ca");
    pem.put("ca", ca);
    pem.put("otherca", k.export("otherca"));
    pem.put(
        "server-chain",
        k.sign("server", ca, "san=dns:" + SERVER_NAME + ",ip:127.0.0.1", "eku=serverAuth"));
    pem.put("server-key", k.privateKeyPem("server"));
    pem.put("client-chain", k.sign("client", ca, "san=dns:client.test.example", "eku=clientAuth"));
    pem.put("client-key", k.privateKeyPem("client"));
    pem.put(
        "client2-chain", k.sign("client2", ca, "san=dns:client2.test.example", "eku=clientAuth"));
    pem.put("client2-key", k.privateKeyPem("client2"));
    return pem;
  }

  /** Writes {@code pem} to a file in the certificate directory. */
  public Path write(String name, String pem) throws IOException {
    return Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII);
  }

  /** keytool runs in one directory. */
  private static final class Keytool {
    private final Path dir;

    Keytool(Path dir) {
      this.dir = dir;
    }

    void keypair(String alias, String dname, String ext) throws Exception {
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

    String export(String alias) throws Exception {
      keytool(alias, List.of("-exportcert", "-rfc", "-alias", alias, "-file", alias + ".pem"));
      return Files.readString(dir.resolve(alias + ".pem"));
    }

    /** A chain: the leaf signed by the CA, then the CA. */
    String sign(String alias, String caPem, String san, String eku) throws Exception {
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

    String privateKeyPem(String alias) throws Exception {
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

    void keytool(String store, List<String> args) throws Exception {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
      // A short-lived JVM: C1 and the serial GC halve its start.
      cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
      cmd.addAll(args);
      cmd.addAll(
          List.of(
              "-keystore",
              store + ".p12",
              "-storetype",
              "PKCS12",
              "-storepass",
              PASS,
              "-noprompt"));
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
}
