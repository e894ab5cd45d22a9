// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * grpc-java's {@link ServerStreamTracer}s on a grpc-jni server get every message with the sizes the
 * C core path knows, in grpc-java's order (as its Netty server reports them).
 */
class ServerStreamTracerIT {
  private Server server;
  private ManagedChannel channel;
  private final List<Recording> tracers = new CopyOnWriteArrayList<>();

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
  static final class Recording extends ServerStreamTracer {
    final List<String> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    @Override
    public Context filterContext(Context context) {
      events.add("filterContext");
      return context;
    }

    @Override
    public void serverCallStarted(ServerCallInfo<?, ?> info) {
      events.add("serverCallStarted " + info.getMethodDescriptor().getBareMethodName());
    }

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

  private static ByteString zeros(int n) {
    return ByteString.copyFrom(new byte[n]);
  }

  private TestServiceGrpc.TestServiceBlockingStub start() throws Exception {
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addStreamTracerFactory(
                new ServerStreamTracer.Factory() {
                  @Override
                  public ServerStreamTracer newServerStreamTracer(
                      String fullMethodName, Metadata headers) {
                    Recording r = new Recording();
                    tracers.add(r);
                    return r;
                  }
                })
            .addService(
                new TestServiceGrpc.TestServiceImplBase() {
                  @Override
                  public void unaryCall(
                      SimpleRequest request, StreamObserver<SimpleResponse> responses) {
                    if (request.getResponseCompressed().getValue()) {
                      ((ServerCallStreamObserver<SimpleResponse>) responses).setCompression("gzip");
                    }
                    responses.onNext(
                        SimpleResponse.newBuilder()
                            .setPayload(
                                Payload.newBuilder().setBody(zeros(request.getResponseSize())))
                            .build());
                    responses.onCompleted();
                  }

                  @Override
                  public void streamingOutputCall(
                      StreamingOutputCallRequest request,
                      StreamObserver<StreamingOutputCallResponse> responses) {
                    for (var p : request.getResponseParametersList()) {
                      responses.onNext(
                          StreamingOutputCallResponse.newBuilder()
                              .setPayload(Payload.newBuilder().setBody(zeros(p.getSize())))
                              .build());
                    }
                    responses.onCompleted();
                  }
                })
            .build()
            .start();
    assertThat(server.getClass().getSimpleName()).isEqualTo("GrpcJniServer");
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create())
            .build();
    return TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private Recording only() throws Exception {
    assertThat(tracers).hasSize(1);
    Recording r = tracers.get(0);
    r.closed.get(10, TimeUnit.SECONDS);
    return r;
  }

  @Test
  void aUnaryCallsMessagesComeWithTheirSizes() throws Exception {
    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseSize(200)
            .setPayload(Payload.newBuilder().setBody(zeros(100)))
            .build();
    SimpleResponse response = start().unaryCall(request);
    int in = request.getSerializedSize();
    int out = response.getSerializedSize();
    assertThat(only().events)
        .containsExactly(
            "filterContext",
            "serverCallStarted UnaryCall",
            "inboundMessage 0",
            "inboundWireSize " + in,
            "inboundUncompressedSize " + in,
            "inboundMessageRead 0 " + in + " " + in,
            "outboundMessage 0",
            "outboundWireSize " + out,
            "outboundUncompressedSize " + out,
            "outboundMessageSent 0 " + out + " " + out,
            "streamClosed OK");
  }

  @Test
  void aServerStreamsMessagesAreNumberedWithTheirSizes() throws Exception {
    StreamingOutputCallRequest.Builder b = StreamingOutputCallRequest.newBuilder();
    int[] sizes = {10, 1000, 0};
    for (int size : sizes) {
      b.addResponseParametersBuilder().setSize(size);
    }
    StreamingOutputCallRequest request = b.build();
    List<Integer> got = new java.util.ArrayList<>();
    start().streamingOutputCall(request).forEachRemaining(r -> got.add(r.getSerializedSize()));
    assertThat(got).hasSize(3);
    int in = request.getSerializedSize();
    List<String> expected = new java.util.ArrayList<>();
    expected.addAll(
        List.of(
            "filterContext",
            "serverCallStarted StreamingOutputCall",
            "inboundMessage 0",
            "inboundWireSize " + in,
            "inboundUncompressedSize " + in,
            "inboundMessageRead 0 " + in + " " + in));
    for (int i = 0; i < 3; i++) {
      int out = got.get(i);
      expected.addAll(
          List.of(
              "outboundMessage " + i,
              "outboundWireSize " + out,
              "outboundUncompressedSize " + out,
              "outboundMessageSent " + i + " " + out + " " + out));
    }
    expected.add("streamClosed OK");
    assertThat(only().events).containsExactlyElementsOf(expected);
  }

  @Test
  void aCompressedResponseHasNoWireSize() throws Exception {
    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseSize(300)
            .setResponseCompressed(BoolValue.newBuilder().setValue(true))
            .build();
    SimpleResponse response = start().unaryCall(request);
    int out = response.getSerializedSize();
    // The handler asks for gzip: the C core compresses the response, so its wire size is not
    // known here (-1, and no outboundWireSize).
    assertThat(only().events)
        .contains(
            "outboundMessage 0",
            "outboundUncompressedSize " + out,
            "outboundMessageSent 0 -1 " + out)
        .doesNotContain("outboundWireSize " + out);
  }
}
