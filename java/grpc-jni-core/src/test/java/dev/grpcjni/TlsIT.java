// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.client.TlsChannelCredentials;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.server.TlsServerCredentials;
import dev.grpcjni.server.TlsServerCredentials.ClientAuth;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.UnaryHandler;
import dev.grpcjni.testing.EchoService;
import dev.grpcjni.testing.Flows;
import dev.grpcjni.testing.GrpcCleanup;
import dev.grpcjni.testing.LiveObjects;
import dev.grpcjni.testing.TestCerts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS and mutual TLS end to end, with certificates made for the test run ({@link TestCerts}):
 * trust, host-name checks, client certificates, streaming, bad input and native leaks.
 */
class TlsIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  static TestCerts certs;

  static final MethodDescriptor<byte[], byte[]> STREAM = EchoService.STREAM;

  @BeforeAll
  static void makeCerts() throws Exception {
    certs = TestCerts.get();
  }

  static TlsServerCredentials serverTls() {
    return TlsServerCredentials.newBuilder()
        .keyManager(certs.serverChainPem, certs.serverKeyPem)
        .build();
  }

  static TlsChannelCredentials clientWithCert() {
    return TlsChannelCredentials.newBuilder()
        .trustManager(certs.caPem)
        .keyManager(certs.clientChainPem, certs.clientKeyPem)
        .build();
  }

  static TlsServerCredentials mutual(ClientAuth auth) {
    return TlsServerCredentials.newBuilder()
        .keyManager(certs.serverChainPem, certs.serverKeyPem)
        .trustManager(certs.caPem)
        .clientAuth(auth)
        .build();
  }

  static TlsChannelCredentials trustingCa() {
    return TlsChannelCredentials.newBuilder().trustManager(certs.caPem).build();
  }

  Server server(TlsServerCredentials tls) throws IOException {
    ServiceDefinition echo =
        ServiceDefinition.builder(EchoService.NAME)
            .unary(EchoService.ECHO, UnaryHandler.sync((req, ctx) -> req))
            .bidiStreaming(STREAM, (requests, ctx) -> requests)
            .build();
    return grpc.register(
        ServerBuilder.forAddress("127.0.0.1:0").tls(tls).addService(echo).build().start());
  }

  ManagedChannel channel(ChannelBuilder b) {
    return grpc.register(b.build());
  }

  static ChannelBuilder to(Server server) {
    return ChannelBuilder.forTarget("127.0.0.1:" + server.port());
  }

  static byte[] echo(ManagedChannel channel) throws Exception {
    return ClientCalls.unaryCall(
            channel,
            EchoService.ECHO,
            "hello".getBytes(StandardCharsets.UTF_8),
            CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10)))
        .get(20, TimeUnit.SECONDS);
  }

  static Status failure(ManagedChannel channel) {
    try {
      echo(channel);
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void unaryAndStreamingOverTls() throws Exception {
    Server server = server(serverTls());
    // The server certificate names 127.0.0.1 as well as foo.test.example.
    ManagedChannel channel = channel(to(server).tls(trustingCa()));
    assertThat(echo(channel)).asString(StandardCharsets.UTF_8).isEqualTo("hello");

    Flows.Collector<byte[]> collector = new Flows.Collector<>(4);
    ClientCalls.bidiStreamingCall(
            channel,
            STREAM,
            Flows.range(200, i -> StreamingIT.message(i, 1000)),
            CallOptions.DEFAULT)
        .subscribe(collector);
    List<byte[]> got = collector.result().get(30, TimeUnit.SECONDS);
    assertThat(got).hasSize(200);
    assertThat(StreamingIT.indexOf(got.get(199))).isEqualTo(199);
  }

  @Test
  void aClientCallSeesTheServersAddressAndCertificateWhileItRuns() throws Exception {
    Server server = server(mutual(ClientAuth.REQUIRE));
    ManagedChannel channel = channel(to(server).tls(clientWithCert()));
    List<String> peers = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<AuthContext> auths = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicReference<ClientCall<?, ?>> made =
        new java.util.concurrent.atomic.AtomicReference<>();
    // Through an interceptor's forwarding call, as an application would ask.
    Channel intercepted =
        ClientInterceptors.intercept(
            channel,
            new ClientInterceptor() {
              @Override
              public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
                  MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
                ClientCall<ReqT, RespT> call =
                    new ForwardingClientCall.SimpleForwardingClientCall<>(
                        next.newCall(method, options)) {};
                made.set(call);
                return call;
              }
            });
    ClientCall<byte[], byte[]> call =
        intercepted.newCall(STREAM, CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10)));
    java.util.concurrent.CompletableFuture<Void> response =
        new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<Status> closed =
        new java.util.concurrent.CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onHeaders(Metadata headers) {
            peers.add(made.get().peer());
            auths.add(made.get().authContext());
          }

          @Override
          public void onMessage(byte[] message) {
            response.complete(null);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        null);
    call.request(1);
    call.sendMessage(StreamingIT.message(0, 10));
    response.get(10, TimeUnit.SECONDS);
    call.halfClose();
    assertThat(closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(Status.Code.OK);

    assertThat(peers).containsExactly("ipv4:127.0.0.1:" + server.port());
    AuthContext auth = auths.get(0);
    assertThat(auth.isTls()).isTrue();
    assertThat(auth.securityLevel()).isEqualTo("TSI_PRIVACY_AND_INTEGRITY");
    assertThat(auth.commonName()).isEqualTo("grpc-jni test server");
    String leaf =
        certs.serverChainPem.substring(
            0, certs.serverChainPem.indexOf("-----END CERTIFICATE-----") + 25);
    assertThat(auth.peerCertificatePem().replaceAll("\\s", ""))
        .isEqualTo(leaf.replaceAll("\\s", ""));
    // The C core's call is gone once the call is over: the server that answered is kept, the
    // auth context is not.
    assertThat(call.peer()).isEqualTo("ipv4:127.0.0.1:" + server.port());
    assertThat(call.authContext()).isSameAs(AuthContext.NONE);
  }

  @Test
  void authorityOverrideIsTheNameChecked() throws Exception {
    Server server = server(serverTls());
    // "localhost" is not in the certificate...
    ManagedChannel wrongName =
        channel(ChannelBuilder.forTarget("localhost:" + server.port()).tls(trustingCa()));
    assertThat(failure(wrongName).code()).isEqualTo(Status.Code.UNAVAILABLE);
    // ...but the override names what the certificate says, as the interop tests'
    // --server_host_override.
    ManagedChannel overridden =
        channel(
            ChannelBuilder.forTarget("localhost:" + server.port())
                .tls(trustingCa())
                .overrideAuthority(TestCerts.SERVER_NAME));
    assertThat(echo(overridden)).asString(StandardCharsets.UTF_8).isEqualTo("hello");
  }

  @Test
  void untrustedServerIsRefused() throws Exception {
    Server server = server(serverTls());
    ManagedChannel otherRoots =
        channel(
            to(server)
                .tls(TlsChannelCredentials.newBuilder().trustManager(certs.otherCaPem).build()));
    assertThat(failure(otherRoots).code()).isEqualTo(Status.Code.UNAVAILABLE);
    // The system roots do not include the test CA either.
    ManagedChannel systemRoots = channel(to(server).useTransportSecurity());
    assertThat(failure(systemRoots).code()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void plaintextAndTlsDoNotMix() throws Exception {
    Server tlsServer = server(serverTls());
    assertThat(failure(channel(to(tlsServer))).code()).isEqualTo(Status.Code.UNAVAILABLE);
    Server plain =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(EchoService.service(null, null))
                .build()
                .start());
    assertThat(failure(channel(to(plain).tls(trustingCa()))).code())
        .isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void mutualTlsRequiresAClientCertificate() throws Exception {
    Server server = server(mutual(ClientAuth.REQUIRE));
    assertThat(failure(channel(to(server).tls(trustingCa()))).code())
        .isEqualTo(Status.Code.UNAVAILABLE);

    TlsChannelCredentials withCert = clientWithCert();
    assertThat(withCert.hasKeyManager()).isTrue();
    assertThat(echo(channel(to(server).tls(withCert))))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("hello");
  }

  /** A server whose Echo answers with what the handler's auth context says. */
  Server identityServer(TlsServerCredentials tls, java.util.List<AuthContext> seen)
      throws IOException {
    return identityServer(tls, seen, b -> {});
  }

  /** {@link #identityServer(TlsServerCredentials, java.util.List)} with more server options. */
  Server identityServer(
      TlsServerCredentials tls,
      java.util.List<AuthContext> seen,
      java.util.function.Consumer<ServerBuilder> options)
      throws IOException {
    ServiceDefinition echo =
        ServiceDefinition.builder(EchoService.NAME)
            .unary(
                EchoService.ECHO,
                UnaryHandler.sync(
                    (req, ctx) -> {
                      seen.add(ctx.authContext());
                      return req;
                    }))
            .build();
    ServerBuilder b = ServerBuilder.forAddress("127.0.0.1:0").addService(echo);
    if (tls != null) {
      b.tls(tls);
    }
    options.accept(b);
    return grpc.register(b.build().start());
  }

  @Test
  void theServerSeesTheClientCertificatesIdentity() throws Exception {
    java.util.List<AuthContext> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Server server = identityServer(mutual(ClientAuth.OPTIONAL), seen);
    echo(channel(to(server).tls(clientWithCert())));
    AuthContext withCert = seen.get(0);
    assertThat(withCert.isPeerAuthenticated()).isTrue();
    assertThat(withCert.commonName()).isEqualTo("grpc-jni test client");
    assertThat(withCert.subjectAlternativeNames()).containsExactly("client.test.example");
    assertThat(withCert.peerIdentity()).containsExactly("client.test.example");
    assertThat(withCert.transportSecurityType()).isEqualTo("ssl");
    assertThat(withCert.securityLevel()).isEqualTo("TSI_PRIVACY_AND_INTEGRITY");
    String leaf =
        certs.clientChainPem.substring(
            certs.clientChainPem.indexOf("-----BEGIN CERTIFICATE-----"),
            certs.clientChainPem.indexOf("-----END CERTIFICATE-----") + 25);
    assertThat(withCert.peerCertificatePem().replaceAll("\\s", ""))
        .isEqualTo(leaf.replaceAll("\\s", ""));

    echo(channel(to(server).tls(trustingCa())));
    AuthContext noCert = seen.get(1);
    assertThat(noCert.isPeerAuthenticated()).isFalse();
    assertThat(noCert.peerIdentity()).isEmpty();
    assertThat(noCert.commonName()).isNull();
    assertThat(noCert.transportSecurityType()).isEqualTo("ssl");

    Server plain = identityServer(null, seen);
    echo(channel(ChannelBuilder.forTarget("127.0.0.1:" + plain.port())));
    AuthContext plaintext = seen.get(2);
    assertThat(plaintext.isPeerAuthenticated()).isFalse();
    assertThat(plaintext.commonName()).isNull();
    assertThat(plaintext.transportSecurityType()).isEqualTo("insecure");
    assertThat(plaintext.securityLevel()).isEqualTo("TSI_SECURITY_NONE");
    assertThat(plaintext.isTls()).isFalse();
    assertThat(withCert.isTls()).isTrue();
  }

  /** A loaded key store of {@code type} with {@code chainPem} and its key under {@code alias}. */
  static java.security.KeyStore keyStore(String type, String alias, String chainPem, String keyPem)
      throws Exception {
    java.security.KeyStore ks = java.security.KeyStore.getInstance(type);
    ks.load(null, null);
    java.security.cert.CertificateFactory cf =
        java.security.cert.CertificateFactory.getInstance("X.509");
    java.security.cert.Certificate[] chain =
        cf.generateCertificates(
                new java.io.ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)))
            .toArray(new java.security.cert.Certificate[0]);
    String b64 =
        keyPem
            .replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    java.security.PrivateKey key =
        java.security.KeyFactory.getInstance(chain[0].getPublicKey().getAlgorithm())
            .generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(
                    java.util.Base64.getDecoder().decode(b64)));
    ks.setKeyEntry(alias, key, "secret".toCharArray(), chain);
    return ks;
  }

  @Test
  void keysAndTrustFromJavaKeyStores() throws Exception {
    java.security.KeyStore serverKeys =
        keyStore("PKCS12", "server", certs.serverChainPem, certs.serverKeyPem);
    java.security.KeyStore clientKeys =
        keyStore("JKS", "client", certs.clientChainPem, certs.clientKeyPem);
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(
        "ca",
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new java.io.ByteArrayInputStream(certs.caPem.getBytes(StandardCharsets.US_ASCII))));
    java.util.List<AuthContext> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Server server =
        identityServer(
            TlsServerCredentials.newBuilder()
                .keyManager(serverKeys, "secret".toCharArray())
                .trustManager(trust)
                .clientAuth(ClientAuth.REQUIRE)
                .build(),
            seen);
    assertThat(
            echo(
                channel(
                    to(server)
                        .tls(
                            TlsChannelCredentials.newBuilder()
                                .trustManager(trust)
                                .keyManager(clientKeys, "client", "secret".toCharArray())
                                .build()))))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("hello");
    assertThat(seen.get(0).commonName()).isEqualTo("grpc-jni test client");

    assertThatThrownBy(
            () -> TlsServerCredentials.newBuilder().keyManager(serverKeys, "wrong".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("password");
    assertThatThrownBy(
            () ->
                TlsChannelCredentials.newBuilder()
                    .keyManager(clientKeys, "nope", "secret".toCharArray()))
        .hasMessageContaining("no key entry nope");
    assertThatThrownBy(() -> TlsChannelCredentials.newBuilder().keyManager(trust, null))
        .hasMessageContaining("no key entry");
    java.security.KeyStore empty = java.security.KeyStore.getInstance("PKCS12");
    empty.load(null, null);
    assertThatThrownBy(() -> TlsChannelCredentials.newBuilder().trustManager(empty))
        .hasMessageContaining("holds no certificate");
    serverKeys.setKeyEntry(
        "second",
        serverKeys.getKey("server", "secret".toCharArray()),
        "secret".toCharArray(),
        serverKeys.getCertificateChain("server"));
    assertThatThrownBy(
            () -> TlsServerCredentials.newBuilder().keyManager(serverKeys, "secret".toCharArray()))
        .hasMessageContaining("several key entries");
  }

  /** Replaces {@code file} atomically with {@code pem}. */
  static void replace(java.nio.file.Path file, String pem) throws IOException {
    java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".new");
    java.nio.file.Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
    java.nio.file.Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aRotatedClientCertificateIsPresentedOnTheNextHandshake() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(certs.dir, "rotate-client");
    java.nio.file.Path chain = dir.resolve("client.pem");
    java.nio.file.Path key = dir.resolve("client.key");
    java.nio.file.Path roots = dir.resolve("ca.pem");
    java.nio.file.Files.writeString(chain, certs.clientChainPem);
    java.nio.file.Files.writeString(key, certs.clientKeyPem);
    java.nio.file.Files.writeString(roots, certs.caPem);
    java.util.List<AuthContext> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    // The server drops idle connections, so that the same channel handshakes again.
    Server server =
        identityServer(
            mutual(ClientAuth.REQUIRE), seen, b -> b.maxConnectionIdle(Duration.ofMillis(300)));
    ManagedChannel channel =
        channel(
            to(server)
                .tls(
                    TlsChannelCredentials.newBuilder()
                        .trustManager(roots)
                        .keyManager(chain, key)
                        .refreshFromFiles(Duration.ofSeconds(1))
                        .build()));
    echo(channel);
    assertThat(seen.get(0).commonName()).isEqualTo("grpc-jni test client");

    replace(key, certs.client2KeyPem);
    replace(chain, certs.client2ChainPem);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    String cn = seen.get(0).commonName();
    while (!cn.equals("grpc-jni test client 2") && System.nanoTime() < end) {
      // Wait for the server to drop the idle connection, so that the next call makes a new one
      // (a call sent as the GOAWAY crosses it fails UNAVAILABLE: try again).
      if (channel.getState(false) == dev.grpcjni.client.ConnectivityState.READY) {
        channel
            .whenStateChanged(dev.grpcjni.client.ConnectivityState.READY)
            .get(10, TimeUnit.SECONDS);
      }
      try {
        echo(channel);
      } catch (ExecutionException e) {
        assertThat(Status.fromThrowable(e.getCause()).code()).isEqualTo(Status.Code.UNAVAILABLE);
        continue;
      }
      cn = seen.get(seen.size() - 1).commonName();
    }
    assertThat(cn).isEqualTo("grpc-jni test client 2");
  }

  @Test
  void aServerTrustsRotatedRootsWithoutARestart() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(certs.dir, "rotate-server");
    java.nio.file.Path chain = dir.resolve("server.pem");
    java.nio.file.Path key = dir.resolve("server.key");
    java.nio.file.Path roots = dir.resolve("roots.pem");
    java.nio.file.Files.writeString(chain, certs.serverChainPem);
    java.nio.file.Files.writeString(key, certs.serverKeyPem);
    java.nio.file.Files.writeString(roots, certs.otherCaPem); // not the CA of the client's cert
    java.util.List<AuthContext> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Server server =
        identityServer(
            TlsServerCredentials.newBuilder()
                .keyManager(chain, key)
                .trustManager(roots)
                .clientAuth(ClientAuth.REQUIRE)
                .refreshFromFiles(Duration.ofSeconds(1))
                .build(),
            seen);
    assertThat(failure(channel(to(server).tls(clientWithCert()))).code())
        .isEqualTo(Status.Code.UNAVAILABLE);

    replace(roots, certs.caPem);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    boolean ok = false;
    while (!ok && System.nanoTime() < end) {
      Thread.sleep(300);
      try {
        echo(channel(to(server).tls(clientWithCert()))); // a new channel: a new handshake
        ok = true;
      } catch (ExecutionException e) {
        // not re-read yet
      }
    }
    assertThat(ok).as("a handshake succeeded after the roots were replaced").isTrue();
    // File-watching credentials are the C core's other TLS stack: "tls", not "ssl".
    assertThat(seen.get(0).transportSecurityType()).isEqualTo("tls");
    assertThat(seen.get(0).isTls()).isTrue();
    assertThat(seen.get(0).commonName()).isEqualTo("grpc-jni test client");
  }

  @Test
  void refreshingNeedsFiles() {
    assertThatThrownBy(
            () ->
                TlsServerCredentials.newBuilder()
                    .keyManager(certs.serverChainPem, certs.serverKeyPem)
                    .refreshFromFiles(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keyManager(Path, Path)");
    assertThatThrownBy(
            () -> TlsChannelCredentials.newBuilder().refreshFromFiles(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 s");
    assertThatThrownBy(
            () ->
                TlsChannelCredentials.newBuilder()
                    .trustManager(certs.caPem)
                    .refreshFromFiles(Duration.ofSeconds(1))
                    .build())
        .hasMessageContaining("trustManager(Path)");
  }

  @Test
  void optionalClientAuthAcceptsBoth() throws Exception {
    Server server = server(mutual(ClientAuth.OPTIONAL));
    assertThat(echo(channel(to(server).tls(trustingCa())))).isNotEmpty();
    TlsChannelCredentials withCert = clientWithCert();
    assertThat(echo(channel(to(server).tls(withCert)))).isNotEmpty();
  }

  @Test
  void credentialsFromFilesAndStreams() throws Exception {
    var chain = certs.write("server-chain.pem", certs.serverChainPem);
    var key = certs.write("server-key.pem", certs.serverKeyPem);
    var ca = certs.write("ca-copy.pem", certs.caPem);
    Server server = server(TlsServerCredentials.create(chain, key));
    ManagedChannel fromPath =
        channel(to(server).tls(TlsChannelCredentials.newBuilder().trustManager(ca).build()));
    assertThat(echo(fromPath)).isNotEmpty();
    ManagedChannel fromStream =
        channel(
            to(server)
                .tls(
                    TlsChannelCredentials.newBuilder()
                        .trustManager(
                            new ByteArrayInputStream(
                                certs.caPem.getBytes(StandardCharsets.US_ASCII)))
                        .build()));
    assertThat(echo(fromStream)).isNotEmpty();
  }

  @Test
  void badPemIsRejectedWhenBuilding() {
    assertThatThrownBy(() -> TlsChannelCredentials.newBuilder().trustManager("not a certificate"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("root certificates");
    assertThatThrownBy(() -> TlsChannelCredentials.newBuilder().trustManager(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> TlsServerCredentials.newBuilder().keyManager(certs.serverChainPem, certs.caPem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("private key");
    assertThatThrownBy(
            () ->
                TlsServerCredentials.newBuilder()
                    .keyManager(certs.serverKeyPem, certs.serverKeyPem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("certificate chain");
    assertThatThrownBy(() -> TlsServerCredentials.newBuilder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keyManager");
    assertThatThrownBy(
            () ->
                TlsServerCredentials.newBuilder()
                    .keyManager(certs.serverChainPem, certs.serverKeyPem)
                    .clientAuth(ClientAuth.REQUIRE)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("trustManager");
  }

  @Test
  void keyNotMatchingTheCertificateIsRejected() {
    // Well-formed PEM, but the client's key does not belong to the server's certificate.
    assertThatThrownBy(
            () ->
                TlsServerCredentials.newBuilder()
                    .keyManager(certs.serverChainPem, certs.clientKeyPem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match");
    assertThatThrownBy(
            () ->
                TlsChannelCredentials.newBuilder()
                    .keyManager(certs.clientChainPem, certs.serverKeyPem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match");
    // Only CERTIFICATE blocks: the C core reads nothing else.
    assertThatThrownBy(
            () ->
                TlsChannelCredentials.newBuilder()
                    .trustManager("-----BEGIN PKCS7-----\nMAA=\n-----END PKCS7-----\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CERTIFICATE");
  }

  @Test
  void keyTheCoreCannotLoadFailsStart() {
    // A PKCS#1 block is left to the C core, which cannot load this one: start() says so.
    TlsServerCredentials unloadable =
        TlsServerCredentials.newBuilder()
            .keyManager(
                certs.serverChainPem,
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")
            .build();
    assertThatThrownBy(
            () ->
                ServerBuilder.forAddress("127.0.0.1:0")
                    .tls(unloadable)
                    .addService(EchoService.service(null, null))
                    .build()
                    .start())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("TLS");
  }

  @Test
  void bundlesWithNonAsciiCommentsAreRead() throws Exception {
    // As in curl's and certifi's bundles: UTF-8 comment lines between the certificates.
    var ca = certs.dir.resolve("bundle.pem");
    java.nio.file.Files.writeString(
        ca,
        "# Issuer: CN=F\u0151tan\u00fas\u00edtv\u00e1ny\n" + certs.caPem,
        StandardCharsets.UTF_8);
    Server server = server(serverTls());
    assertThat(
            echo(
                channel(
                    to(server).tls(TlsChannelCredentials.newBuilder().trustManager(ca).build()))))
        .isNotEmpty();
  }

  @Test
  void credentialsDoNotPrintTheKey() {
    var config =
        new dev.grpcjni.internal.transport.TlsConfig(
            null, certs.serverKeyPem, certs.serverChainPem, 0);
    assertThat(config.toString()).doesNotContain("PRIVATE").doesNotContain("CERTIFICATE");
  }

  @Test
  void tlsCallsLeaveNoNativeObjects() throws Exception {
    Server server = server(serverTls());
    long[] before = LiveObjects.snapshot();
    try (ManagedChannel channel = to(server).tls(trustingCa()).build();
        ManagedChannel untrusting =
            to(server)
                .tls(TlsChannelCredentials.newBuilder().trustManager(certs.otherCaPem).build())
                .build()) {
      for (int i = 0; i < 200; i++) {
        echo(channel);
      }
      assertThat(failure(untrusting).code()).isEqualTo(Status.Code.UNAVAILABLE);
    }
    long[] after = LiveObjects.awaitEqual(before, 10_000);
    assertThat(LiveObjects.describe(after)).isEqualTo(LiveObjects.describe(before));
  }
}
