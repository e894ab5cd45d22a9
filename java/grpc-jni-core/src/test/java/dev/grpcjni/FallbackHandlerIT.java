// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.codec.Marshallers;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.testing.Flows;
import dev.grpcjni.testing.GrpcCleanup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server's fallback handler: calls to methods no service registered reach it as raw bytes,
 * whatever kind of call the client makes, with the server's interceptors in front of it.
 */
class FallbackHandlerIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  static final String KNOWN = "grpcjni.test.Known";
  static final String UNKNOWN = "grpcjni.test.Unknown";

  static MethodDescriptor<byte[], byte[]> method(
      MethodDescriptor.MethodType type, String service, String name) {
    return MethodDescriptor.create(
        type,
        MethodDescriptor.fullMethodName(service, name),
        Marshallers.bytes(),
        Marshallers.bytes());
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** What the fallback saw of one call. */
  record Seen(MethodDescriptor<byte[], byte[]> method, Metadata headers, Deadline deadline) {}

  private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> ends = new LinkedBlockingQueue<>();

  /**
   * By the method's name: {@code Each} answers every request with "name:request"; {@code Split}
   * answers every request with one message per byte; {@code Total} answers once, at the half-close,
   * with the requests joined; {@code Fail} ends with INTERNAL and a trailer; {@code Hang} never
   * answers. Requests are read one at a time, each after its answer went out.
   */
  final ServerCallHandler<byte[], byte[]> fallback =
      call -> {
        String name = call.method().fullMethodName();
        String kind = name.substring(name.lastIndexOf('/') + 1);
        seen.add(
            new Seen(
                call.method(),
                new Metadata(call.context().requestHeaders()),
                call.context().deadline()));
        StringBuilder total = new StringBuilder();
        call.request(1);
        return new ServerCall.Listener<>() {
          @Override
          public void onMessage(byte[] message) {
            switch (kind) {
              case "Each":
                call.sendMessage(bytes(kind + ":" + string(message)))
                    .whenComplete((v, t) -> call.request(1));
                return;
              case "Split":
                for (byte b : message) {
                  call.sendMessage(new byte[] {b});
                }
                call.request(1);
                return;
              case "Total":
                total.append(string(message));
                call.request(1);
                return;
              default:
                call.request(1);
            }
          }

          @Override
          public void onHalfClose() {
            switch (kind) {
              case "Total":
                call.sendMessage(bytes(total.toString()));
                call.close(Status.OK, null);
                return;
              case "Fail":
                call.close(
                    Status.INTERNAL.withDescription("fallback failed"),
                    new Metadata().put("why", "asked to"));
                return;
              case "Hang":
                return;
              default:
                call.close(Status.OK, null);
            }
          }

          @Override
          public void onCancel() {
            ends.add("cancel " + kind);
          }

          @Override
          public void onComplete() {
            ends.add("complete " + kind);
          }
        };
      };

  private ManagedChannel start(ServerBuilder builder) throws IOException {
    Server server = grpc.register(builder.build().start());
    return grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
  }

  private ManagedChannel startWithFallback() throws IOException {
    ServiceDefinition known =
        ServiceDefinition.builder(KNOWN)
            .unary(
                method(MethodDescriptor.MethodType.UNARY, KNOWN, "Registered"),
                (req, ctx) -> CompletableFuture.completedFuture(bytes("known:" + string(req))))
            .build();
    return start(
        ServerBuilder.forAddress("127.0.0.1:0").addService(known).fallbackHandler(fallback));
  }

  static Status statusOf(CompletableFuture<?> f) {
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    assertThat(e).as("the call should fail").isNotNull();
    assertThat(e.getCause()).isInstanceOf(StatusException.class);
    return ((StatusException) e.getCause()).status();
  }

  static List<String> strings(List<byte[]> messages) {
    List<String> out = new ArrayList<>();
    for (byte[] m : messages) {
      out.add(string(m));
    }
    return out;
  }

  @Test
  void everyKindOfCallReachesTheFallbackAsRawBytes() throws Exception {
    ManagedChannel ch = startWithFallback();

    byte[] unary =
        ClientCalls.unaryCall(
                ch, method(MethodDescriptor.MethodType.UNARY, UNKNOWN, "Each"), bytes("u"))
            .get(10, TimeUnit.SECONDS);
    assertThat(string(unary)).isEqualTo("Each:u");

    Flows.Collector<byte[]> split = new Flows.Collector<>(1);
    ClientCalls.serverStreamingCall(
            ch,
            method(MethodDescriptor.MethodType.SERVER_STREAMING, UNKNOWN, "Split"),
            bytes("abc"),
            CallOptions.DEFAULT)
        .subscribe(split);
    assertThat(strings(split.result().get(10, TimeUnit.SECONDS))).containsExactly("a", "b", "c");

    byte[] total =
        ClientCalls.clientStreamingCall(
                ch,
                method(MethodDescriptor.MethodType.CLIENT_STREAMING, UNKNOWN, "Total"),
                Flows.range(5, i -> bytes(Integer.toString(i))),
                CallOptions.DEFAULT)
            .get(10, TimeUnit.SECONDS);
    assertThat(string(total)).isEqualTo("01234");

    Flows.Collector<byte[]> each = new Flows.Collector<>(2);
    ClientCalls.bidiStreamingCall(
            ch,
            method(MethodDescriptor.MethodType.BIDI_STREAMING, UNKNOWN, "Each"),
            Flows.range(100, i -> bytes("m" + i)),
            CallOptions.DEFAULT)
        .subscribe(each);
    List<String> answers = strings(each.result().get(10, TimeUnit.SECONDS));
    assertThat(answers).hasSize(100).startsWith("Each:m0", "Each:m1").endsWith("Each:m99");

    // The wire does not say the kind: the fallback sees every call as a bidi stream of bytes.
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Seen s = seen.poll(10, TimeUnit.SECONDS);
      assertThat(s.method().type()).isEqualTo(MethodDescriptor.MethodType.BIDI_STREAMING);
      names.add(s.method().fullMethodName());
    }
    assertThat(names)
        .containsExactly(
            UNKNOWN + "/Each", UNKNOWN + "/Split", UNKNOWN + "/Total", UNKNOWN + "/Each");
    for (int i = 0; i < 4; i++) {
      assertThat(ends.poll(10, TimeUnit.SECONDS)).startsWith("complete ");
    }
  }

  @Test
  void registeredMethodsStillGoToTheirServiceAndUnknownMethodsOfAKnownServiceToTheFallback()
      throws Exception {
    ManagedChannel ch = startWithFallback();
    assertThat(
            string(
                ClientCalls.blockingUnaryCall(
                    ch,
                    method(MethodDescriptor.MethodType.UNARY, KNOWN, "Registered"),
                    bytes("k"))))
        .isEqualTo("known:k");
    assertThat(
            string(
                ClientCalls.blockingUnaryCall(
                    ch, method(MethodDescriptor.MethodType.UNARY, KNOWN, "Each"), bytes("k"))))
        .isEqualTo("Each:k");
    assertThat(seen.poll(10, TimeUnit.SECONDS).method().fullMethodName())
        .isEqualTo(KNOWN + "/Each");
    assertThat(seen).isEmpty(); // the registered method did not pass the fallback
  }

  @Test
  void withoutAFallbackAnUnknownMethodIsUnimplemented() throws Exception {
    ManagedChannel ch = start(ServerBuilder.forAddress("127.0.0.1:0"));
    StatusException e =
        catchThrowableOfType(
            StatusException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    ch, method(MethodDescriptor.MethodType.UNARY, UNKNOWN, "Each"), bytes("x")));
    assertThat(e.status().code()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(e.status().description()).contains(UNKNOWN + "/Each");
  }

  @Test
  void theFallbackSeesHeadersAndDeadlineAndItsStatusAndTrailersReachTheClient() throws Exception {
    ManagedChannel ch = startWithFallback();
    CompletableFuture<dev.grpcjni.stub.UnaryResponse<byte[]>> f =
        ClientCalls.unaryCallWithMetadata(
            ch,
            method(MethodDescriptor.MethodType.UNARY, UNKNOWN, "Fail"),
            bytes("x"),
            CallOptions.DEFAULT
                .withDeadlineAfter(Duration.ofSeconds(20))
                .withHeaders(
                    new Metadata()
                        .put("x-route", "b")
                        .putBinary("x-id-bin", new byte[] {0, 1, 2})));
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    StatusException failure = (StatusException) e.getCause();
    assertThat(failure.status().code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(failure.status().description()).isEqualTo("fallback failed");
    assertThat(failure.trailers().get("why")).isEqualTo("asked to");
    Seen s = seen.poll(10, TimeUnit.SECONDS);
    assertThat(s.headers().get("x-route")).isEqualTo("b");
    assertThat(s.headers().getBinary("x-id-bin")).containsExactly(0, 1, 2);
    assertThat(s.deadline()).isNotNull();
    assertThat(s.deadline().timeRemaining().toSeconds()).isBetween(10L, 20L);
  }

  @Test
  void theServersInterceptorsRunInFrontOfTheFallback() throws Exception {
    AtomicInteger intercepted = new AtomicInteger();
    List<String> methods = new java.util.concurrent.CopyOnWriteArrayList<>();
    ServerInterceptor count =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next) {
            intercepted.incrementAndGet();
            methods.add(call.method().fullMethodName());
            if (call.context().requestHeaders().containsKey("x-deny")) {
              call.close(Status.PERMISSION_DENIED.withDescription("denied"), null);
              return new ServerCall.Listener<>() {};
            }
            return next.startCall(call);
          }
        };
    ManagedChannel ch =
        start(ServerBuilder.forAddress("127.0.0.1:0").intercept(count).fallbackHandler(fallback));
    MethodDescriptor<byte[], byte[]> each =
        method(MethodDescriptor.MethodType.UNARY, UNKNOWN, "Each");
    assertThat(string(ClientCalls.blockingUnaryCall(ch, each, bytes("1")))).isEqualTo("Each:1");
    CompletableFuture<byte[]> denied =
        ClientCalls.unaryCall(
            ch,
            each,
            bytes("2"),
            CallOptions.DEFAULT.withHeaders(new Metadata().put("x-deny", "1")));
    assertThat(statusOf(denied).code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(intercepted).hasValue(2);
    assertThat(methods).containsExactly(UNKNOWN + "/Each", UNKNOWN + "/Each");
    assertThat(seen).hasSize(1); // the denied call never reached the fallback
  }

  @Test
  void aClientCancelReachesTheFallbackCall() throws Exception {
    ManagedChannel ch = startWithFallback();
    CompletableFuture<byte[]> hang =
        ClientCalls.unaryCall(
            ch, method(MethodDescriptor.MethodType.UNARY, UNKNOWN, "Hang"), bytes("h"));
    assertThat(seen.poll(10, TimeUnit.SECONDS)).isNotNull();
    hang.cancel(true);
    assertThat(ends.poll(10, TimeUnit.SECONDS)).isEqualTo("cancel Hang");
  }

  @Test
  void largeMessagesPassInBothDirections() throws Exception {
    ManagedChannel ch = startWithFallback();
    byte[] big = new byte[1 << 20];
    Arrays.fill(big, (byte) 'z');
    byte[] back =
        ClientCalls.unaryCall(ch, method(MethodDescriptor.MethodType.UNARY, UNKNOWN, "Each"), big)
            .get(10, TimeUnit.SECONDS);
    assertThat(back).hasSize(big.length + "Each:".length());
    assertThat(string(Arrays.copyOf(back, 5))).isEqualTo("Each:");
  }
}
