// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ServerCalls;
import io.grpc.testing.TlsTesting;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * grpc-java's transport attributes and security level, as interceptors read them, on both sides of
 * a grpc-jni call: plaintext, TLS, and mutual TLS.
 */
class TransportAttributesIT {
  private Server server;
  private ManagedChannel channel;

  /** What the server's interceptor saw of the call. */
  private final AtomicReference<Attributes> serverAttributes = new AtomicReference<>();

  private final AtomicReference<SecurityLevel> serverLevel = new AtomicReference<>();

  /** What the client's interceptor saw: in onHeaders, and again in onClose. */
  private final AtomicReference<Attributes> clientAtHeaders = new AtomicReference<>();

  private final AtomicReference<Attributes> clientAtClose = new AtomicReference<>();

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private void serve(ServerCredentials credentials) throws Exception {
    ServerInterceptor record =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            serverAttributes.set(call.getAttributes());
            serverLevel.set(call.getSecurityLevel());
            return next.startCall(call, headers);
          }
        };
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(TestServiceGrpc.SERVICE_NAME)
            .addMethod(
                TestServiceGrpc.getEmptyCallMethod(),
                ServerCalls.asyncUnaryCall(
                    (Empty request, io.grpc.stub.StreamObserver<Empty> responses) -> {
                      responses.onNext(request);
                      responses.onCompleted();
                    }))
            .addMethod(
                TestServiceGrpc.getFullDuplexCallMethod(),
                ServerCalls.asyncBidiStreamingCall(
                    (io.grpc.stub.StreamObserver<StreamingOutputCallResponse> responses) ->
                        new io.grpc.stub.StreamObserver<StreamingOutputCallRequest>() {
                          @Override
                          public void onNext(StreamingOutputCallRequest value) {
                            responses.onNext(StreamingOutputCallResponse.getDefaultInstance());
                          }

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onCompleted() {
                            responses.onCompleted();
                          }
                        }))
            .build();
    server =
        Grpc.newServerBuilderForPort(0, credentials)
            .addService(ServerInterceptors.intercept(service, record))
            .build()
            .start();
    assertThat(server.getClass().getSimpleName()).isEqualTo("GrpcJniServer");
  }

  /** A channel to {@code port} whose interceptor records its calls' attributes. */
  private Channel connect(int port, ChannelCredentials credentials) {
    return connect("127.0.0.1:" + port, credentials);
  }

  private Channel connect(String target, ChannelCredentials credentials) {
    channel =
        Grpc.newChannelBuilder(target, credentials).overrideAuthority("foo.test.google.fr").build();
    assertThat(channel.getClass().getSimpleName()).isEqualTo("GrpcJniManagedChannel");
    ClientInterceptor record =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(
                next.newCall(method, options)) {
              @Override
              public void start(Listener<RespT> listener, Metadata headers) {
                ClientCall<ReqT, RespT> call = this;
                super.start(
                    new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(
                        listener) {
                      @Override
                      public void onHeaders(Metadata h) {
                        clientAtHeaders.set(call.getAttributes());
                        super.onHeaders(h);
                      }

                      @Override
                      public void onClose(Status status, Metadata trailers) {
                        clientAtClose.set(call.getAttributes());
                        super.onClose(status, trailers);
                      }
                    },
                    headers);
              }
            };
          }
        };
    return ClientInterceptors.intercept(channel, record);
  }

  private static void call(Channel channel) {
    assertThat(
            TestServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .emptyCall(Empty.getDefaultInstance()))
        .isEqualTo(Empty.getDefaultInstance());
  }

  /**
   * A bidirectional call that reads one response before it half-closes: its listener's onHeaders
   * runs while the call is on its connection. (A unary call's C core call is over before its
   * listener runs: it has the server's address but not the TLS session; see
   * GrpcJniClientCall.getAttributes.)
   */
  private static void duplex(Channel channel) throws Exception {
    ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        channel.newCall(
            TestServiceGrpc.getFullDuplexCallMethod(),
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    CompletableFuture<Void> response = new CompletableFuture<>();
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(StreamingOutputCallResponse message) {
            response.complete(null);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.request(2);
    call.sendMessage(StreamingOutputCallRequest.getDefaultInstance());
    response.get(10, TimeUnit.SECONDS);
    call.halfClose();
    assertThat(closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
  }

  private static X509Certificate cert(String name) throws Exception {
    try (InputStream in = TlsTesting.loadCert(name)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static InetSocketAddress remote(Attributes a) {
    assertThat(a.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)).isInstanceOf(InetSocketAddress.class);
    return (InetSocketAddress) a.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
  }

  @Test
  void plaintextCallsCarryTheAddressesAndNoSession() throws Exception {
    serve(InsecureServerCredentials.create());
    Channel c = connect(server.getPort(), InsecureChannelCredentials.create());
    call(c);
    duplex(c);

    Attributes seen = serverAttributes.get();
    assertThat(remote(seen).getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(remote(seen).getPort()).isPositive().isNotEqualTo(server.getPort());
    assertThat(seen.get(Grpc.TRANSPORT_ATTR_SSL_SESSION)).isNull();
    assertThat(serverLevel.get()).isEqualTo(SecurityLevel.NONE);

    Attributes client = clientAtHeaders.get();
    assertThat(remote(client))
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.getPort()));
    assertThat(client.get(Grpc.TRANSPORT_ATTR_SSL_SESSION)).isNull();
    assertThat(clientAtClose.get()).as("kept after the call").isSameAs(client);
  }

  /** A TLS server with gRPC's test certificate and a channel to it that trusts the test CA. */
  private Channel serveAndConnectOverTls() throws Exception {
    serve(
        TlsServerCredentials.create(
            TlsTesting.loadCert("server1.pem"), TlsTesting.loadCert("server1.key")));
    return connect(
        server.getPort(),
        TlsChannelCredentials.newBuilder().trustManager(TlsTesting.loadCert("ca.pem")).build());
  }

  @Test
  void tlsCallsCarryTheSessionWithTheServersCertificate() throws Exception {
    Channel c = serveAndConnectOverTls();
    call(c);
    duplex(c);

    assertThat(serverLevel.get()).isEqualTo(SecurityLevel.PRIVACY_AND_INTEGRITY);
    SSLSession atServer = serverAttributes.get().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    assertThat(atServer).as("the server's view of a TLS call").isNotNull();
    assertThatThrownBy(atServer::getPeerCertificates)
        .as("the client presented no certificate")
        .isInstanceOf(SSLPeerUnverifiedException.class);
    assertThat(remote(serverAttributes.get()).getAddress().isLoopbackAddress()).isTrue();

    SSLSession atClient = clientAtHeaders.get().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    assertThat(atClient).as("the client's view of a TLS call").isNotNull();
    assertThat(atClient.getPeerCertificates()[0]).isEqualTo(cert("server1.pem"));
    assertThat(atClient.getPeerPrincipal())
        .isEqualTo(cert("server1.pem").getSubjectX500Principal());
    assertThat(remote(clientAtHeaders.get()).getPort()).isEqualTo(server.getPort());
  }

  @Test
  void mutualTlsShowsTheServerTheClientsCertificate() throws Exception {
    serve(
        TlsServerCredentials.newBuilder()
            .keyManager(TlsTesting.loadCert("server1.pem"), TlsTesting.loadCert("server1.key"))
            .trustManager(TlsTesting.loadCert("ca.pem"))
            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
            .build());
    call(
        connect(
            server.getPort(),
            TlsChannelCredentials.newBuilder()
                .keyManager(TlsTesting.loadCert("client.pem"), TlsTesting.loadCert("client.key"))
                .trustManager(TlsTesting.loadCert("ca.pem"))
                .build()));

    SSLSession session = serverAttributes.get().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    assertThat(session).isNotNull();
    X509Certificate client = cert("client.pem");
    // The leaf first, then what else the C core's chain holds (on a server, OpenSSL's peer chain
    // lacks the leaf).
    assertThat(session.getPeerCertificates()[0]).isEqualTo(client);
    assertThat(session.getPeerCertificates()).doesNotHaveDuplicates();
    assertThat(session.getPeerPrincipal()).isEqualTo(client.getSubjectX500Principal());
    assertThat(serverLevel.get()).isEqualTo(SecurityLevel.PRIVACY_AND_INTEGRITY);
    // Each call's session has its own id (the C core does not say the TLS session's).
    assertThat(session.getId()).hasSize(32).isNotEqualTo(new byte[32]);
    // The session's value table works as the JDK's does.
    session.putValue("k", "v");
    assertThat(session.getValue("k")).isEqualTo("v");
    assertThat(session.getValueNames()).containsExactly("k");
  }

  @Test
  void unaryCallsHaveTheServersAddressInOnCloseAsOpenTelemetryReadsIt() throws Exception {
    Channel c = serveAndConnectOverTls();
    InetSocketAddress at =
        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.getPort());
    call(c);
    assertThat(remote(clientAtClose.get())).isEqualTo(at);
    assertThat(clientAtHeaders.get()).as("kept from onHeaders").isSameAs(clientAtClose.get());

    // An error status, trailers only: no onHeaders, and still a server answered.
    clientAtHeaders.set(null);
    assertThatThrownBy(
            () ->
                TestServiceGrpc.newBlockingStub(c)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .unimplementedCall(Empty.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    assertThat(clientAtHeaders.get()).isNull();
    assertThat(remote(clientAtClose.get())).isEqualTo(at);
  }

  @Test
  void aCallThatNeverReachedAServerHasNoAttributes() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    // A target in the C core's own peer form, which it names for a call that reached no server.
    Channel c = connect("ipv4:127.0.0.1:" + port, InsecureChannelCredentials.create());
    assertThatThrownBy(() -> call(c))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(clientAtHeaders.get()).as("no headers came").isNull();
    assertThat(clientAtClose.get()).isEqualTo(Attributes.EMPTY);
  }
}
