// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.interop;

import com.google.protobuf.ByteString;
import dev.grpcjni.CallOptions;
import dev.grpcjni.ClientCall;
import dev.grpcjni.Compression;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.Status;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.client.TlsChannelCredentials;
import dev.grpcjni.stub.ClientCallStreamObserver;
import dev.grpcjni.stub.ClientCalls;
import dev.grpcjni.stub.StreamObserver;
import dev.grpcjni.stub.UnaryResponse;
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
import io.grpc.testing.integration.UnimplementedServiceGrpcJni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The interop test client on grpc-jni, with grpc-java's command line:
 *
 * <pre>
 * TestServiceClient --server_host=H --server_port=P --test_case=NAME[,NAME...]
 *     [--use_tls=false] [--use_test_ca=false] [--server_host_override=foo.test.google.fr]
 * </pre>
 *
 * <p>Runs each case as gRPC's interop descriptions specify it and prints one line per case, {@code
 * PASS name (12 ms)} or {@code FAIL name: reason}. Exits 0 if every case passed, 1 if one failed, 2
 * on a bad command line. {@code --test_case=all} runs every case. For servers without every
 * compression feature (grpc-java's) there are weaker variants, as grpc-java's client has: {@code
 * client_compressed_unary_noprobe} and {@code client_compressed_streaming_noprobe} skip the probe
 * of {@code expect_compressed}; {@code server_compressed_streaming_noflags} does not check the
 * responses' compressed flags.
 */
public final class TestServiceClient {
  /** Every case, in the order {@code all} runs them. */
  static final List<String> CASES =
      List.of(
          "empty_unary",
          "large_unary",
          "client_streaming",
          "server_streaming",
          "ping_pong",
          "empty_stream",
          "cancel_after_begin",
          "cancel_after_first_response",
          "timeout_on_sleeping_server",
          "custom_metadata",
          "status_code_and_message",
          "special_status_message",
          "unimplemented_method",
          "unimplemented_service",
          "client_compressed_unary",
          "server_compressed_unary",
          "client_compressed_streaming",
          "server_compressed_streaming");

  /** Also accepted; not in {@code all}. */
  static final List<String> EXTRA_CASES =
      List.of(
          "client_compressed_unary_noprobe",
          "client_compressed_streaming_noprobe",
          "server_compressed_streaming_noflags");

  static final String USAGE =
      "Usage: TestServiceClient --server_host=HOST --server_port=PORT --test_case=CASE[,CASE...]\n"
          + "    [--use_tls=false] [--use_test_ca=false] [--server_host_override=NAME]\n"
          + "  --test_case             a case, a comma-separated list, or all: "
          + String.join(", ", CASES)
          + ", "
          + String.join(", ", EXTRA_CASES)
          + "\n"
          + "  --use_tls               TLS instead of plaintext\n"
          + "  --use_test_ca           trust gRPC's test CA instead of the system roots\n"
          + "  --server_host_override  :authority, and the TLS name to check "
          + "(foo.test.google.fr for the test CA)";

  /** Bound on every wait, so a broken server fails a case instead of hanging it. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  static final String SPECIAL_MESSAGE =
      "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n";

  private final ManagedChannel channel;
  private final TestServiceGrpcJni.Stub base;

  TestServiceClient(ManagedChannel channel) {
    this.channel = channel;
    this.base = TestServiceGrpcJni.newStub(channel);
  }

  /** A stub whose calls get {@link #TIMEOUT} from now: each case and call has its own deadline. */
  private TestServiceGrpcJni.Stub stub() {
    return base.withDeadlineAfter(TIMEOUT);
  }

  public static void main(String[] args) {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("server_host", "localhost");
    defaults.put("server_port", "8080");
    defaults.put("test_case", "empty_unary");
    defaults.put("use_tls", "false");
    defaults.put("use_test_ca", "false");
    defaults.put("server_host_override", null);
    // Accepted as the interop descriptions ask clients to, but unused: they configure the
    // cloud-to-prod auth cases, which this client does not run.
    for (String unused :
        List.of(
            "default_service_account",
            "oauth_scope",
            "service_account_key_file",
            "service_config_json")) {
      defaults.put(unused, null);
    }
    Flags flags =
        Mains.parse(
            args,
            defaults,
            USAGE,
            f -> {
              f.getInt("server_port");
              f.getBoolean("use_tls");
              f.getBoolean("use_test_ca");
              parseCases(f.get("test_case"));
            });
    if (flags == null) {
      return;
    }
    List<String> cases = parseCases(flags.get("test_case"));
    int failed;
    try (ManagedChannel channel = channel(flags)) {
      failed = new TestServiceClient(channel).runAll(cases);
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  static List<String> parseCases(String list) {
    if (list.equals("all")) {
      return CASES;
    }
    List<String> cases = Arrays.asList(list.split(","));
    for (String c : cases) {
      if (!CASES.contains(c) && !EXTRA_CASES.contains(c)) {
        throw new IllegalArgumentException("unknown test case: " + c);
      }
    }
    return cases;
  }

  static ManagedChannel channel(Flags flags) {
    ChannelBuilder b =
        ChannelBuilder.forTarget(flags.get("server_host") + ":" + flags.getInt("server_port"))
            .maxInboundMessageSize(16 * 1024 * 1024);
    String override = flags.get("server_host_override");
    if (override != null && !override.isEmpty()) {
      b.overrideAuthority(override);
    }
    if (flags.getBoolean("use_tls")) {
      b.tls(
          flags.getBoolean("use_test_ca")
              ? TestCa.trustingTestCa()
              : TlsChannelCredentials.create());
    }
    return b.build();
  }

  /** Runs {@code cases}, printing a line for each; returns how many failed. */
  int runAll(List<String> cases) {
    int failed = 0;
    for (String c : cases) {
      long start = System.nanoTime();
      try {
        run(c);
        System.out.printf(
            "PASS %s (%d ms)%n", c, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      } catch (Throwable t) {
        failed++;
        System.out.printf("FAIL %s: %s%n", c, t);
        t.printStackTrace();
      }
      System.out.flush();
    }
    return failed;
  }

  void run(String testCase) throws Exception {
    switch (testCase) {
      case "empty_unary" -> emptyUnary();
      case "large_unary" -> largeUnary();
      case "client_streaming" -> clientStreaming();
      case "server_streaming" -> serverStreaming();
      case "ping_pong" -> pingPong();
      case "empty_stream" -> emptyStream();
      case "cancel_after_begin" -> cancelAfterBegin();
      case "cancel_after_first_response" -> cancelAfterFirstResponse();
      case "timeout_on_sleeping_server" -> timeoutOnSleepingServer();
      case "custom_metadata" -> customMetadata();
      case "status_code_and_message" -> statusCodeAndMessage();
      case "special_status_message" -> specialStatusMessage();
      case "unimplemented_method" -> unimplementedMethod();
      case "unimplemented_service" -> unimplementedService();
      case "client_compressed_unary" -> clientCompressedUnary(true);
      case "client_compressed_unary_noprobe" -> clientCompressedUnary(false);
      case "server_compressed_unary" -> serverCompressedUnary();
      case "client_compressed_streaming" -> clientCompressedStreaming(true);
      case "client_compressed_streaming_noprobe" -> clientCompressedStreaming(false);
      case "server_compressed_streaming" -> serverCompressedStreaming(true);
      case "server_compressed_streaming_noflags" -> serverCompressedStreaming(false);
      default -> throw new IllegalArgumentException("unknown test case: " + testCase);
    }
  }

  // ---- cases

  void emptyUnary() throws Exception {
    Empty response = get(stub().emptyCall(Empty.getDefaultInstance()));
    check(response.equals(Empty.getDefaultInstance()), "response is not empty: " + response);
  }

  void largeUnary() throws Exception {
    checkPayload(get(stub().unaryCall(largeRequest(null))).getPayload(), 314159);
  }

  void clientCompressedUnary(boolean probe) throws Exception {
    if (probe) {
      // Uncompressed, but expect_compressed: a server supporting CompressedRequest refuses it.
      Status s = failure(stub().unaryCall(largeRequest(true)));
      checkCode(s, Status.Code.INVALID_ARGUMENT, "the uncompressed probe");
    }
    checkPayload(
        get(stub().withCompression(Compression.GZIP).unaryCall(largeRequest(true))).getPayload(),
        314159);
    checkPayload(get(stub().unaryCall(largeRequest(false))).getPayload(), 314159);
  }

  void serverCompressedUnary() throws Exception {
    for (boolean compressed : new boolean[] {true, false}) {
      SimpleRequest request =
          largeRequest(null).toBuilder()
              .setResponseCompressed(BoolValue.newBuilder().setValue(compressed))
              .build();
      Exchange<SimpleResponse> x =
          exchange(TestServiceGrpcJni.UNARY_CALL, CallOptions.DEFAULT, null, List.of(request));
      checkCode(x.status, Status.Code.OK, "the call");
      check(x.messages.size() == 1, "expected one response, got " + x.messages.size());
      check(
          x.compressed.get(0) == compressed,
          "response_compressed="
              + compressed
              + " but the response's compressed flag was "
              + x.compressed.get(0));
      checkPayload(x.messages.get(0).getPayload(), 314159);
    }
  }

  void clientStreaming() throws Exception {
    Recorder<StreamingInputCallResponse> responses = new Recorder<>();
    ClientCallStreamObserver<StreamingInputCallRequest> requests =
        stub().streamingInputCall(responses);
    for (int size : new int[] {27182, 8, 1828, 45904}) {
      requests.onNext(inputRequest(size, null));
    }
    requests.onCompleted();
    checkCode(responses.await(), Status.Code.OK, "the call");
    check(responses.messages.size() == 1, "expected one response");
    checkEquals(responses.messages.get(0).getAggregatedPayloadSize(), 74922, "aggregated size");
  }

  void clientCompressedStreaming(boolean probe) throws Exception {
    if (probe) {
      Recorder<StreamingInputCallResponse> responses = new Recorder<>();
      ClientCallStreamObserver<StreamingInputCallRequest> requests =
          stub().streamingInputCall(responses);
      requests.onNext(inputRequest(27182, true)); // uncompressed, but expect_compressed
      Status s = responses.await();
      requests.cancel("probe done"); // a server that accepted the probe is still waiting
      checkCode(s, Status.Code.INVALID_ARGUMENT, "the uncompressed probe");
    }
    Recorder<StreamingInputCallResponse> responses = new Recorder<>();
    ClientCallStreamObserver<StreamingInputCallRequest> requests =
        stub().withCompression(Compression.GZIP).streamingInputCall(responses);
    requests.onNext(inputRequest(27182, true));
    requests.setMessageCompression(false);
    requests.onNext(inputRequest(45904, false));
    requests.onCompleted();
    checkCode(responses.await(), Status.Code.OK, "the call");
    check(responses.messages.size() == 1, "expected one response");
    checkEquals(responses.messages.get(0).getAggregatedPayloadSize(), 73086, "aggregated size");
  }

  void serverStreaming() throws Exception {
    int[] sizes = {31415, 9, 2653, 58979};
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    stub().streamingOutputCall(outputRequest(sizes, 0), responses);
    checkCode(responses.await(), Status.Code.OK, "the call");
    checkSizes(responses.messages, sizes);
  }

  /**
   * With {@code checkFlags} false only the responses are checked: for servers that do not honour
   * per-message {@code compressed} on streams (grpc-java's ignores it).
   */
  void serverCompressedStreaming(boolean checkFlags) throws Exception {
    StreamingOutputCallRequest request =
        StreamingOutputCallRequest.newBuilder()
            .addResponseParameters(
                ResponseParameters.newBuilder()
                    .setSize(31415)
                    .setCompressed(BoolValue.newBuilder().setValue(true)))
            .addResponseParameters(
                ResponseParameters.newBuilder()
                    .setSize(92653)
                    .setCompressed(BoolValue.newBuilder().setValue(false)))
            .build();
    Exchange<StreamingOutputCallResponse> x =
        exchange(
            TestServiceGrpcJni.STREAMING_OUTPUT_CALL, CallOptions.DEFAULT, null, List.of(request));
    checkCode(x.status, Status.Code.OK, "the call");
    checkSizes(x.messages, new int[] {31415, 92653});
    check(
        !checkFlags || x.compressed.equals(List.of(true, false)),
        "compressed flags should be [true, false], were " + x.compressed);
  }

  void pingPong() throws Exception {
    int[] requestSizes = {27182, 8, 1828, 45904};
    int[] responseSizes = {31415, 9, 2653, 58979};
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    ClientCallStreamObserver<StreamingOutputCallRequest> requests =
        stub().fullDuplexCall(responses);
    for (int i = 0; i < requestSizes.length; i++) {
      requests.onNext(outputRequest(new int[] {responseSizes[i]}, requestSizes[i]));
      StreamingOutputCallResponse r = responses.next();
      checkPayload(r.getPayload(), responseSizes[i]);
    }
    requests.onCompleted();
    checkCode(responses.await(), Status.Code.OK, "the call");
    checkEquals(responses.messages.size(), 4, "responses");
  }

  void emptyStream() throws Exception {
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    ClientCallStreamObserver<StreamingOutputCallRequest> requests =
        stub().fullDuplexCall(responses);
    requests.onCompleted();
    checkCode(responses.await(), Status.Code.OK, "the call");
    checkEquals(responses.messages.size(), 0, "responses");
  }

  void cancelAfterBegin() throws Exception {
    Recorder<StreamingInputCallResponse> responses = new Recorder<>();
    ClientCallStreamObserver<StreamingInputCallRequest> requests =
        stub().streamingInputCall(responses);
    requests.cancel("cancel_after_begin");
    checkCode(responses.await(), Status.Code.CANCELLED, "the call");
    checkEquals(responses.messages.size(), 0, "responses");
  }

  void cancelAfterFirstResponse() throws Exception {
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    ClientCallStreamObserver<StreamingOutputCallRequest> requests =
        stub().fullDuplexCall(responses);
    requests.onNext(outputRequest(new int[] {31415}, 27182));
    checkPayload(responses.next().getPayload(), 31415);
    requests.cancel("cancel_after_first_response");
    checkCode(responses.await(), Status.Code.CANCELLED, "the call");
    checkEquals(responses.messages.size(), 1, "responses");
  }

  void timeoutOnSleepingServer() throws Exception {
    Recorder<StreamingOutputCallResponse> responses = new Recorder<>();
    ClientCallStreamObserver<StreamingOutputCallRequest> requests =
        stub().withDeadlineAfter(Duration.ofMillis(1)).fullDuplexCall(responses);
    requests.onNext(outputRequest(new int[0], 27182)); // fails quietly if the call already ended
    checkCode(responses.await(), Status.Code.DEADLINE_EXCEEDED, "the call");
    checkEquals(responses.messages.size(), 0, "responses");
  }

  void customMetadata() throws Exception {
    byte[] trailing = {(byte) 0xab, (byte) 0xab, (byte) 0xab};
    Metadata headers =
        new Metadata()
            .put(TestServiceImpl.ECHO_INITIAL, "test_initial_metadata_value")
            .putBinary(TestServiceImpl.ECHO_TRAILING, trailing);

    UnaryResponse<SimpleResponse> unary =
        get(
            ClientCalls.unaryCallWithMetadata(
                channel,
                TestServiceGrpcJni.UNARY_CALL,
                largeRequest(null),
                stub().options().withHeaders(headers)));
    checkPayload(unary.message().getPayload(), 314159);
    checkEchoed(unary.headers(), unary.trailers(), trailing, "UnaryCall");

    StreamingOutputCallRequest request = outputRequest(new int[] {314159}, 271828);
    Exchange<StreamingOutputCallResponse> x =
        exchange(TestServiceGrpcJni.FULL_DUPLEX_CALL, stub().options(), headers, List.of(request));
    checkCode(x.status, Status.Code.OK, "FullDuplexCall");
    checkSizes(x.messages, new int[] {314159});
    checkEchoed(x.headers, x.trailers, trailing, "FullDuplexCall");
  }

  void statusCodeAndMessage() throws Exception {
    checkEchoStatus("test status message");
  }

  void specialStatusMessage() throws Exception {
    Status s =
        failure(
            stub()
                .unaryCall(
                    SimpleRequest.newBuilder()
                        .setResponseStatus(echoStatus(SPECIAL_MESSAGE))
                        .build()));
    checkCode(s, Status.Code.UNKNOWN, "UnaryCall");
    checkEquals(s.description(), SPECIAL_MESSAGE, "status message");
  }

  void unimplementedMethod() throws Exception {
    Status s = failure(stub().unimplementedCall(Empty.getDefaultInstance()));
    checkCode(s, Status.Code.UNIMPLEMENTED, "TestService/UnimplementedCall");
  }

  void unimplementedService() throws Exception {
    Status s =
        failure(
            UnimplementedServiceGrpcJni.newStub(channel)
                .withDeadlineAfter(TIMEOUT)
                .unimplementedCall(Empty.getDefaultInstance()));
    checkCode(s, Status.Code.UNIMPLEMENTED, "UnimplementedService/UnimplementedCall");
  }

  // ---- helpers

  private void checkEchoStatus(String message) throws Exception {
    Status unary =
        failure(
            stub()
                .unaryCall(
                    SimpleRequest.newBuilder().setResponseStatus(echoStatus(message)).build()));
    checkCode(unary, Status.Code.UNKNOWN, "UnaryCall");
    checkEquals(unary.description(), message, "UnaryCall status message");

    Exchange<StreamingOutputCallResponse> x =
        exchange(
            TestServiceGrpcJni.FULL_DUPLEX_CALL,
            stub().options(),
            null,
            List.of(
                StreamingOutputCallRequest.newBuilder()
                    .setResponseStatus(echoStatus(message))
                    .build()));
    checkCode(x.status, Status.Code.UNKNOWN, "FullDuplexCall");
    checkEquals(x.status.description(), message, "FullDuplexCall status message");
  }

  private static EchoStatus echoStatus(String message) {
    return EchoStatus.newBuilder().setCode(2).setMessage(message).build();
  }

  private static void checkEchoed(
      Metadata headers, Metadata trailers, byte[] trailing, String what) {
    checkEquals(
        headers == null ? null : headers.get(TestServiceImpl.ECHO_INITIAL),
        "test_initial_metadata_value",
        what + " echoed initial metadata");
    byte[] got = trailers == null ? null : trailers.getBinary(TestServiceImpl.ECHO_TRAILING);
    check(
        Arrays.equals(got, trailing),
        what
            + " echoed trailing metadata: expected ababab, got "
            + (got == null ? "none" : java.util.HexFormat.of().formatHex(got)));
  }

  private static SimpleRequest largeRequest(Boolean expectCompressed) {
    SimpleRequest.Builder b =
        SimpleRequest.newBuilder().setResponseSize(314159).setPayload(zeros(271828));
    if (expectCompressed != null) {
      b.setExpectCompressed(BoolValue.newBuilder().setValue(expectCompressed));
    }
    return b.build();
  }

  private static StreamingInputCallRequest inputRequest(int size, Boolean expectCompressed) {
    StreamingInputCallRequest.Builder b =
        StreamingInputCallRequest.newBuilder().setPayload(zeros(size));
    if (expectCompressed != null) {
      b.setExpectCompressed(BoolValue.newBuilder().setValue(expectCompressed));
    }
    return b.build();
  }

  private static StreamingOutputCallRequest outputRequest(int[] responseSizes, int payloadSize) {
    StreamingOutputCallRequest.Builder b = StreamingOutputCallRequest.newBuilder();
    for (int s : responseSizes) {
      b.addResponseParameters(ResponseParameters.newBuilder().setSize(s));
    }
    if (payloadSize > 0) {
      b.setPayload(zeros(payloadSize));
    }
    return b.build();
  }

  private static Payload zeros(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }

  private static void checkPayload(Payload payload, int size) {
    checkEquals(payload.getBody().size(), size, "payload size");
    check(payload.getBody().equals(ByteString.copyFrom(new byte[size])), "payload is not zeros");
  }

  private static void checkSizes(List<StreamingOutputCallResponse> responses, int[] sizes) {
    checkEquals(responses.size(), sizes.length, "number of responses");
    for (int i = 0; i < sizes.length; i++) {
      checkPayload(responses.get(i).getPayload(), sizes[i]);
    }
  }

  private static void checkCode(Status status, Status.Code code, String what) {
    if (status.code() != code) {
      throw new AssertionError(what + ": expected " + code + ", got " + status);
    }
  }

  private static void checkEquals(Object actual, Object expected, String what) {
    if (!java.util.Objects.equals(actual, expected)) {
      throw new AssertionError(what + ": expected <" + expected + ">, got <" + actual + ">");
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    try {
      return f.get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("call failed: " + Status.fromThrowable(e.getCause()), e.getCause());
    }
  }

  /** The status a call that must fail failed with. */
  private static Status failure(CompletableFuture<?> f) throws Exception {
    try {
      Object r = f.get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
      throw new AssertionError("the call succeeded with " + r);
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause());
    }
  }

  /** Responses and the final status of an observer-style call. */
  static final class Recorder<T> implements StreamObserver<T> {
    final List<T> messages = new CopyOnWriteArrayList<>();
    private final BlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> done = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
      messages.add(value);
      queue.add(value);
    }

    @Override
    public void onError(Throwable t) {
      done.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      done.complete(Status.OK);
    }

    /** The next response, waiting for it. */
    T next() throws InterruptedException {
      T t = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (t == null) {
        throw new AssertionError(
            "no response within " + TIMEOUT + (done.isDone() ? "; call ended " + done.join() : ""));
      }
      return t;
    }

    Status await() throws Exception {
      try {
        return done.get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("the call did not end within " + TIMEOUT);
      }
    }
  }

  /**
   * What a low-level call saw: headers, responses with their compressed flags, status, trailers.
   */
  static final class Exchange<T> {
    Metadata headers;
    final List<T> messages = new ArrayList<>();
    final List<Boolean> compressed = new ArrayList<>();
    Status status;
    Metadata trailers;
  }

  /** Sends {@code requests}, half-closes, and records everything that comes back. */
  private <Req, Resp> Exchange<Resp> exchange(
      MethodDescriptor<Req, Resp> method, CallOptions options, Metadata headers, List<Req> requests)
      throws Exception {
    Exchange<Resp> x = new Exchange<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    ClientCall<Req, Resp> call = channel.newCall(method, options.withDeadlineAfter(TIMEOUT));
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onHeaders(Metadata h) {
            x.headers = h;
          }

          @Override
          public void onMessage(Resp message) {
            x.messages.add(message);
            x.compressed.add(call.wasLastMessageCompressed());
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            x.status = status;
            x.trailers = trailers;
            closed.complete(null);
          }
        },
        headers);
    call.request(Integer.MAX_VALUE);
    for (Req r : requests) {
      call.sendMessage(r);
    }
    call.halfClose();
    closed.get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    return x;
  }
}
