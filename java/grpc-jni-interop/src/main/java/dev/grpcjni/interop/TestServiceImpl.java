// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.interop;

import com.google.protobuf.ByteString;
import dev.grpcjni.Compression;
import dev.grpcjni.Metadata;
import dev.grpcjni.ServerCallContext;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.protobuf.ProtoServiceSchema;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.stub.ServerCallStreamObserver;
import dev.grpcjni.stub.ServerCalls;
import dev.grpcjni.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpcJni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code grpc.testing.TestService} as gRPC's interop descriptions specify its server features:
 * EmptyCall, UnaryCall, StreamingInputCall, StreamingOutputCall, FullDuplexCall and HalfDuplexCall,
 * with CompressedRequest ({@code expect_compressed}, checked against the message's compressed
 * flag), CompressedResponse ({@code response_compressed}, per message on streams), Echo Status,
 * Echo Metadata and {@code interval_us}. UnimplementedCall is left out, so it answers
 * UNIMPLEMENTED.
 *
 * <p>Built on the generated method descriptors with observer-style handlers, which give per-message
 * control of response compression.
 */
final class TestServiceImpl {
  static final String ECHO_INITIAL = "x-grpc-test-echo-initial";
  static final String ECHO_TRAILING = "x-grpc-test-echo-trailing-bin";

  private TestServiceImpl() {}

  static ServiceDefinition service() {
    return ServiceDefinition.builder(TestServiceGrpcJni.SERVICE_NAME)
        .schemaDescriptor(
            ProtoServiceSchema.of(io.grpc.testing.integration.Test.getDescriptor(), "TestService"))
        .unary(TestServiceGrpcJni.EMPTY_CALL, TestServiceImpl::emptyCall)
        .unary(TestServiceGrpcJni.UNARY_CALL, TestServiceImpl::unaryCall)
        .method(
            TestServiceGrpcJni.STREAMING_OUTPUT_CALL,
            ServerCalls.asyncServerStreaming(TestServiceImpl::streamingOutputCall))
        .method(
            TestServiceGrpcJni.STREAMING_INPUT_CALL,
            ServerCalls.asyncStreaming(TestServiceImpl::streamingInputCall))
        .method(
            TestServiceGrpcJni.FULL_DUPLEX_CALL,
            ServerCalls.asyncStreaming(responses -> new Duplex(responses, false)))
        .method(
            TestServiceGrpcJni.HALF_DUPLEX_CALL,
            ServerCalls.asyncStreaming(responses -> new Duplex(responses, true)))
        .build();
  }

  static CompletableFuture<Empty> emptyCall(Empty request, ServerCallContext context) {
    echoMetadata(context);
    return CompletableFuture.completedFuture(Empty.getDefaultInstance());
  }

  static CompletableFuture<SimpleResponse> unaryCall(
      SimpleRequest request, ServerCallContext context) {
    echoMetadata(context);
    try {
      if (request.hasExpectCompressed()) {
        checkCompressed(request.getExpectCompressed(), context);
      }
      if (request.hasResponseStatus() && request.getResponseStatus().getCode() != 0) {
        throw statusOf(request.getResponseStatus());
      }
      if (request.getResponseSize() < 0) {
        throw Status.INVALID_ARGUMENT.withDescription("negative response_size").asException();
      }
      if (request.getResponseCompressed().getValue()) {
        context.setCompression(Compression.GZIP);
      }
      return CompletableFuture.completedFuture(
          SimpleResponse.newBuilder().setPayload(zeros(request.getResponseSize())).build());
    } catch (StatusException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  static void streamingOutputCall(
      StreamingOutputCallRequest request,
      ServerCallStreamObserver<StreamingOutputCallResponse> responses) {
    ServerCallContext context = responses.context();
    echoMetadata(context);
    Responder responder = new Responder(responses);
    responder.respond(request);
    responder.finish();
  }

  static StreamObserver<StreamingInputCallRequest> streamingInputCall(
      ServerCallStreamObserver<StreamingInputCallResponse> responses) {
    ServerCallContext context = responses.context();
    echoMetadata(context);
    return new StreamObserver<>() {
      private int total;
      private boolean failed;

      @Override
      public void onNext(StreamingInputCallRequest request) {
        if (failed) {
          return;
        }
        if (request.hasExpectCompressed()) {
          try {
            checkCompressed(request.getExpectCompressed(), context);
          } catch (StatusException e) {
            failed = true;
            responses.onError(e);
            return;
          }
        }
        total += request.getPayload().getBody().size();
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        if (!failed) {
          responses.onNext(
              StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(total).build());
          responses.onCompleted();
        }
      }
    };
  }

  /**
   * FullDuplexCall answers each request as it arrives; HalfDuplexCall buffers the requests and
   * answers them all after the client half-closed.
   */
  private static final class Duplex implements StreamObserver<StreamingOutputCallRequest> {
    private final Responder responder;
    private final boolean half;
    private final List<StreamingOutputCallRequest> held = new ArrayList<>();

    Duplex(ServerCallStreamObserver<StreamingOutputCallResponse> responses, boolean half) {
      echoMetadata(responses.context());
      this.responder = new Responder(responses);
      this.half = half;
    }

    @Override
    public void onNext(StreamingOutputCallRequest request) {
      if (half) {
        held.add(request);
      } else {
        responder.respond(request);
      }
    }

    @Override
    public void onError(Throwable t) {
      responder.stop();
    }

    @Override
    public void onCompleted() {
      held.forEach(responder::respond);
      responder.finish();
    }
  }

  /**
   * Sends the responses StreamingOutputCallRequests ask for, in order, each after its {@code
   * interval_us} and after the transport accepted the previous one; then the status. Its methods
   * are called from the call's serialized callbacks.
   */
  private static final class Responder {
    private final ServerCallStreamObserver<StreamingOutputCallResponse> responses;
    private CompletionStage<Void> tail = CompletableFuture.completedFuture(null);
    private boolean compressionSet;
    private boolean closed; // the status is decided: nothing more is processed

    Responder(ServerCallStreamObserver<StreamingOutputCallResponse> responses) {
      this.responses = responses;
    }

    void respond(StreamingOutputCallRequest request) {
      if (closed) {
        return;
      }
      for (ResponseParameters p : request.getResponseParametersList()) {
        if (p.getSize() < 0) {
          close(Status.INVALID_ARGUMENT.withDescription("negative size").asException());
          return;
        }
        if (p.getCompressed().getValue() && !compressionSet) {
          compressionSet = true;
          responses.context().setCompression(Compression.GZIP); // before the headers go out
        }
      }
      for (ResponseParameters p : request.getResponseParametersList()) {
        tail =
            tail.thenCompose(v -> delay(p.getIntervalUs()))
                .thenCompose(
                    v -> {
                      // Per message: a response not asked to be compressed goes uncompressed.
                      responses.setMessageCompression(p.getCompressed().getValue());
                      return responses.write(
                          StreamingOutputCallResponse.newBuilder()
                              .setPayload(zeros(p.getSize()))
                              .build());
                    });
      }
      if (request.hasResponseStatus() && request.getResponseStatus().getCode() != 0) {
        close(statusOf(request.getResponseStatus())); // Echo Status: later requests are ignored
      }
    }

    /** The client half-closed: OK after the queued responses. */
    void finish() {
      if (!closed) {
        close(null);
      }
    }

    /** The call ended: send nothing more. */
    void stop() {
      closed = true;
    }

    private void close(StatusException status) {
      closed = true;
      tail.whenComplete(
          (v, e) -> {
            if (e != null) {
              // A write failed (the call is over, and this does nothing) or a response failed.
              responses.onError(e instanceof CompletionException ? e.getCause() : e);
            } else if (status != null) {
              responses.onError(status);
            } else {
              responses.onCompleted();
            }
          });
    }
  }

  private static CompletableFuture<Void> delay(int micros) {
    if (micros <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(
        () -> {}, CompletableFuture.delayedExecutor(micros, TimeUnit.MICROSECONDS));
  }

  /** Echo Metadata: x-grpc-test-echo-initial into the headers, …-trailing-bin into trailers. */
  static void echoMetadata(ServerCallContext context) {
    Metadata headers = context.requestHeaders();
    String initial = headers.get(ECHO_INITIAL);
    if (initial != null) {
      context.responseHeaders().put(ECHO_INITIAL, initial);
    }
    byte[] trailing = headers.getBinary(ECHO_TRAILING);
    if (trailing != null) {
      context.responseTrailers().putBinary(ECHO_TRAILING, trailing);
    }
  }

  /** CompressedRequest: the request's compressed flag must be what the client said. */
  private static void checkCompressed(BoolValue expected, ServerCallContext context)
      throws StatusException {
    boolean was = context.wasLastMessageCompressed();
    if (expected.getValue() != was) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              expected.getValue()
                  ? "Expected a compressed request, got an uncompressed one"
                  : "Expected an uncompressed request, got a compressed one")
          .asException();
    }
  }

  private static StatusException statusOf(EchoStatus s) {
    return Status.fromCodeValue(s.getCode()).withDescription(s.getMessage()).asException();
  }

  private static Payload zeros(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }
}
