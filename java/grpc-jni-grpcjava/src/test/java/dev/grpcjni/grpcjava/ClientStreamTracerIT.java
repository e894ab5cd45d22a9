// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ClientStreamTracer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * grpc-java's {@link ClientStreamTracer}s on a grpc-jni channel get the message events with the
 * sizes the C core path knows, in grpc-java's order.
 */
class ClientStreamTracerIT {
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Records a call's tracer events as lines. */
  static final class Recording extends ClientStreamTracer {
    final List<String> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    @Override
    public void outboundMessage(int seqNo) {
      events.add("outboundMessage " + seqNo);
    }

    @Override
    public void outboundWireSize(long bytes) {
      events.add("outboundWireSize " + bytes);
    }

    @Override
    public void outboundUncompressedSize(long bytes) {
      events.add("outboundUncompressedSize " + bytes);
    }

    @Override
    public void outboundMessageSent(int seqNo, long wireSize, long uncompressedSize) {
      events.add("outboundMessageSent " + seqNo + " " + wireSize + " " + uncompressedSize);
    }

    @Override
    public void inboundMessage(int seqNo) {
      events.add("inboundMessage " + seqNo);
    }

    @Override
    public void inboundWireSize(long bytes) {
      events.add("inboundWireSize " + bytes);
    }

    @Override
    public void inboundUncompressedSize(long bytes) {
      events.add("inboundUncompressedSize " + bytes);
    }

    @Override
    public void inboundMessageRead(int seqNo, long wireSize, long uncompressedSize) {
      events.add("inboundMessageRead " + seqNo + " " + wireSize + " " + uncompressedSize);
    }

    @Override
    public void streamClosed(Status status) {
      events.add("streamClosed " + status.getCode());
      closed.complete(null);
    }
  }

  @Test
  void unaryMessageSizesReachGrpcJavaTracers() throws Exception {
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(
                new TestServiceGrpc.TestServiceImplBase() {
                  @Override
                  public void unaryCall(
                      SimpleRequest request, StreamObserver<SimpleResponse> responses) {
                    responses.onNext(
                        SimpleResponse.newBuilder()
                            .setPayload(
                                Payload.newBuilder()
                                    .setBody(
                                        ByteString.copyFrom(new byte[request.getResponseSize()])))
                            .build());
                    responses.onCompleted();
                  }
                })
            .build()
            .start();
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create())
            .build();
    assertThat(channel.getClass().getSimpleName()).isEqualTo("GrpcJniManagedChannel");
    Recording tracer = new Recording();
    ClientStreamTracer.Factory factory =
        new ClientStreamTracer.Factory() {
          @Override
          public ClientStreamTracer newClientStreamTracer(
              ClientStreamTracer.StreamInfo info, Metadata headers) {
            return tracer;
          }
        };
    Channel traced =
        ClientInterceptors.intercept(
            channel,
            new ClientInterceptor() {
              @Override
              public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
                  MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
                return next.newCall(method, options.withStreamTracerFactory(factory));
              }
            });
    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseSize(200)
            .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[100])))
            .build();
    SimpleResponse response = TestServiceGrpc.newBlockingStub(traced).unaryCall(request);
    tracer.closed.get(10, TimeUnit.SECONDS);
    int out = request.getSerializedSize();
    int in = response.getSerializedSize();
    assertThat(tracer.events)
        .containsExactly(
            "outboundMessage 0",
            "outboundWireSize " + out,
            "outboundUncompressedSize " + out,
            "outboundMessageSent 0 " + out + " " + out,
            "inboundMessage 0",
            "inboundWireSize " + in,
            "inboundUncompressedSize " + in,
            "inboundMessageRead 0 " + in + " " + in,
            "streamClosed OK");
  }
}
