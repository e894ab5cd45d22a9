// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client and server interceptors on real calls of all four kinds (127.0.0.1:0): metadata in both
 * directions, rejection and short-circuit, ordering, per-method timing and counting, exceptions
 * mapped to statuses, and values handed to handlers through the {@link Context}.
 */
class InterceptorIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  static final String SERVICE = "grpcjni.test.Kinds";

  static MethodDescriptor<byte[], byte[]> method(MethodDescriptor.MethodType type, String name) {
    return MethodDescriptor.create(
        type,
        MethodDescriptor.fullMethodName(SERVICE, name),
        Marshallers.bytes(),
        Marshallers.bytes());
  }

  static final MethodDescriptor<byte[], byte[]> UNARY =
      method(MethodDescriptor.MethodType.UNARY, "Unary");
  static final MethodDescriptor<byte[], byte[]> SPLIT =
      method(MethodDescriptor.MethodType.SERVER_STREAMING, "Split");
  static final MethodDescriptor<byte[], byte[]> CONCAT =
      method(MethodDescriptor.MethodType.CLIENT_STREAMING, "Concat");
  static final MethodDescriptor<byte[], byte[]> ECHO =
      method(MethodDescriptor.MethodType.BIDI_STREAMING, "Echo");
  static final MethodDescriptor<byte[], byte[]> FAIL =
      method(MethodDescriptor.MethodType.UNARY, "Fail");
  static final MethodDescriptor<byte[], byte[]> THROW_IN_LISTENER =
      method(MethodDescriptor.MethodType.UNARY, "ThrowInListener");
  static final MethodDescriptor<byte[], byte[]> SLOW =
      method(MethodDescriptor.MethodType.UNARY, "Slow");

  static final List<MethodDescriptor<byte[], byte[]>> KINDS = List.of(UNARY, SPLIT, CONCAT, ECHO);

  static final Context.Key<String> USER = Context.key("user");

  private final AtomicInteger handled = new AtomicInteger();

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Every kind; a handler answers with the request, prefixed by the context's user if any. */
  ServiceDefinition service() {
    return ServiceDefinition.builder(SERVICE)
        .unary(
            UNARY,
            (req, ctx) -> {
              handled.incrementAndGet();
              return CompletableFuture.completedFuture(bytes(prefix() + string(req)));
            })
        .serverStreaming(
            SPLIT,
            (req, ctx) -> {
              handled.incrementAndGet();
              String p = prefix();
              return Flows.range(3, i -> bytes(p + string(req) + i));
            })
        .clientStreaming(
            CONCAT,
            (requests, ctx) -> {
              handled.incrementAndGet();
              String p = prefix();
              Flows.Collector<byte[]> all = new Flows.Collector<>(4);
              requests.subscribe(all);
              return all.result()
                  .thenApply(
                      list -> {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        out.writeBytes(bytes(p));
                        list.forEach(out::writeBytes);
                        return out.toByteArray();
                      });
            })
        .bidiStreaming(
            ECHO,
            (requests, ctx) -> {
              handled.incrementAndGet();
              String p = prefix();
              return subscriber ->
                  requests.subscribe(new Flows.Mapping<>(subscriber, m -> bytes(p + string(m))));
            })
        .unary(
            FAIL,
            (req, ctx) -> {
              handled.incrementAndGet();
              throw new IllegalArgumentException("bad request: " + string(req));
            })
        .method(
            THROW_IN_LISTENER,
            call -> {
              handled.incrementAndGet();
              call.request(1);
              return new ServerCall.Listener<>() {
                @Override
                public void onHalfClose() {
                  throw new IllegalStateException("listener failed");
                }
              };
            })
        .unary(
            SLOW,
            (req, ctx) -> {
              handled.incrementAndGet();
              return CompletableFuture.supplyAsync(
                  () -> req, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
            })
        .build();
  }

  private static String prefix() {
    String user = USER.get();
    return user == null ? "" : user + ":";
  }

  private Server start(ServerBuilder builder) throws IOException {
    return grpc.register(builder.build().start());
  }

  private ServerBuilder serverWith(ServiceDefinition service) {
    return ServerBuilder.forAddress("127.0.0.1:0").addService(service);
  }

  private ManagedChannel channel(Server server) {
    return grpc.register(ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build());
  }

  /** What one call of a kind returned: its responses joined with ",", or its failure. */
  static String call(Channel channel, MethodDescriptor<byte[], byte[]> method, String request)
      throws Exception {
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10));
    CompletableFuture<List<byte[]>> result;
    switch (method.type()) {
      case UNARY:
        result =
            ClientCalls.unaryCall(channel, method, bytes(request), options).thenApply(List::of);
        break;
      case SERVER_STREAMING:
        {
          Flows.Collector<byte[]> c = new Flows.Collector<>(2);
          ClientCalls.serverStreamingCall(channel, method, bytes(request), options).subscribe(c);
          result = c.result();
          break;
        }
      case CLIENT_STREAMING:
        result =
            ClientCalls.clientStreamingCall(
                    channel, method, Flows.range(2, i -> bytes(request + i)), options)
                .thenApply(List::of);
        break;
      default:
        {
          Flows.Collector<byte[]> c = new Flows.Collector<>(2);
          ClientCalls.bidiStreamingCall(
                  channel, method, Flows.range(2, i -> bytes(request + i)), options)
              .subscribe(c);
          result = c.result();
        }
    }
    List<String> out = new ArrayList<>();
    for (byte[] b : result.get(10, TimeUnit.SECONDS)) {
      out.add(string(b));
    }
    return String.join(",", out);
  }

  static String expected(MethodDescriptor<?, ?> method, String prefix, String request) {
    switch (method.type()) {
      case UNARY:
        return prefix + request;
      case SERVER_STREAMING:
        return prefix + request + "0," + prefix + request + "1," + prefix + request + "2";
      case CLIENT_STREAMING:
        return prefix + request + "0" + request + "1";
      default:
        return prefix + request + "0," + prefix + request + "1";
    }
  }

  static Status statusOf(Channel channel, MethodDescriptor<byte[], byte[]> method) {
    ExecutionException e =
        catchThrowableOfType(ExecutionException.class, () -> call(channel, method, "x"));
    assertThat(e).as("%s should fail", method.fullMethodName()).isNotNull();
    assertThat(e.getCause()).isInstanceOf(StatusException.class);
    return ((StatusException) e.getCause()).status();
  }

  // ---- interceptors under test

  /** Adds a bearer token to every call's headers and records the response headers it sees. */
  static final class AddToken implements ClientInterceptor {
    final String token;
    final Map<String, String> servedBy = new ConcurrentHashMap<>();
    final Map<String, Status> closed = new ConcurrentHashMap<>();

    AddToken(String token) {
      this.token = token;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          Metadata h = headers == null ? new Metadata() : headers;
          h.put("authorization", "Bearer " + token);
          super.start(
              new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                @Override
                public void onHeaders(Metadata headers) {
                  String by = headers.get("x-served-by");
                  if (by != null) {
                    servedBy.put(method.fullMethodName(), by);
                  }
                  super.onHeaders(headers);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                  closed.put(method.fullMethodName(), status);
                  super.onClose(status, trailers);
                }
              },
              h);
        }
      };
    }
  }

  /**
   * Rejects calls without the right token (UNAUTHENTICATED, the handler never runs), hands the
   * token's user to the handler through the context, and names itself in the response headers.
   */
  static final class RequireToken implements ServerInterceptor {
    final AtomicInteger rejected = new AtomicInteger();

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next) {
      String auth = call.context().requestHeaders().get("authorization");
      if (auth == null || !auth.startsWith("Bearer ")) {
        rejected.incrementAndGet();
        call.close(Status.UNAUTHENTICATED.withDescription("no token"), null);
        return new ServerCall.Listener<>() {};
      }
      call.context().responseHeaders().put("x-served-by", "require-token");
      Context ctx = Context.current().withValue(USER, auth.substring("Bearer ".length()));
      return Contexts.interceptCall(ctx, call, next);
    }
  }

  @Test
  void tokenAddedByTheClientIsRequiredByTheServerOnEveryCallKind() throws Exception {
    RequireToken require = new RequireToken();
    Server server = start(serverWith(service()).intercept(require));
    ManagedChannel plain = channel(server);
    AddToken token = new AddToken("alice");
    Channel authed = ClientInterceptors.intercept(plain, token);

    for (MethodDescriptor<byte[], byte[]> m : KINDS) {
      assertThat(call(authed, m, "hi"))
          .as(m.fullMethodName())
          .isEqualTo(expected(m, "alice:", "hi"));
      assertThat(token.servedBy)
          .as(m.fullMethodName())
          .containsEntry(m.fullMethodName(), "require-token");
      assertThat(token.closed.get(m.fullMethodName())).isEqualTo(Status.OK);
    }
    assertThat(handled).hasValue(4);

    for (MethodDescriptor<byte[], byte[]> m : KINDS) {
      Status s = statusOf(plain, m);
      assertThat(s.code()).as(m.fullMethodName()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(s.description()).isEqualTo("no token");
    }
    assertThat(require.rejected).hasValue(4);
    assertThat(handled).as("no handler ran for a rejected call").hasValue(4);

    // A blocking unary call passes through the interceptors too.
    assertThat(
            string(
                ClientCalls.blockingUnaryCall(
                    authed,
                    UNARY,
                    bytes("b"),
                    CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10)))))
        .isEqualTo("alice:b");
  }

  @Test
  void perServiceInterceptorsSeeOnlyTheirServiceAndRunAfterServerWideOnes() throws Exception {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    ServiceDefinition kinds = service().intercept(recording("p1", order), recording("p2", order));
    ServiceDefinition other =
        ServiceDefinition.builder("grpcjni.test.Other")
            .unary(
                MethodDescriptor.unary(
                    "grpcjni.test.Other/Ping", Marshallers.bytes(), Marshallers.bytes()),
                (req, ctx) -> CompletableFuture.completedFuture(req))
            .build();
    Server server =
        start(
            serverWith(kinds)
                .addService(other)
                .intercept(recording("s1", order))
                .intercept(recording("s2", order)));
    ManagedChannel channel = channel(server);

    for (MethodDescriptor<byte[], byte[]> m : KINDS) {
      order.clear();
      call(channel, m, "o");
      // Server-wide first, the last added first (as grpc-java's ServerBuilder.intercept).
      assertThat(order).as(m.fullMethodName()).containsExactly("s2", "s1", "p2", "p1");
    }
    order.clear();
    ClientCalls.unaryCall(
            channel,
            MethodDescriptor.unary(
                "grpcjni.test.Other/Ping", Marshallers.bytes(), Marshallers.bytes()),
            bytes("p"))
        .get(10, TimeUnit.SECONDS);
    assertThat(order).containsExactly("s2", "s1");
  }

  private static ServerInterceptor recording(String name, List<String> order) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next) {
        order.add(name);
        return next.startCall(call);
      }
    };
  }

  @Test
  void clientInterceptorsRunLastAddedFirstAndListenersInTheOtherOrder() throws Exception {
    Server server = start(serverWith(service()));
    ManagedChannel channel = channel(server);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    ClientInterceptor a = tracing("a", order);
    ClientInterceptor b = tracing("b", order);

    for (MethodDescriptor<byte[], byte[]> m : KINDS) {
      order.clear();
      call(ClientInterceptors.intercept(channel, a, b), m, "o");
      assertThat(order)
          .as(m.fullMethodName())
          .containsExactly("new:b", "new:a", "start:b", "start:a", "close:a", "close:b");

      order.clear();
      call(ClientInterceptors.interceptForward(channel, a, b), m, "o");
      assertThat(order)
          .as(m.fullMethodName())
          .containsExactly("new:a", "new:b", "start:a", "start:b", "close:b", "close:a");
    }
  }

  private static ClientInterceptor tracing(String name, List<String> order) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        order.add("new:" + name);
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            order.add("start:" + name);
            super.start(
                new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    order.add("close:" + name);
                    super.onClose(status, trailers);
                  }
                },
                headers);
          }
        };
      }
    };
  }

  @Test
  void clientInterceptorCountsMessagesBothWaysOnEveryKind() throws Exception {
    Server server = start(serverWith(service()));
    Map<String, int[]> counts = new ConcurrentHashMap<>();
    ClientInterceptor counting =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
            int[] c = counts.computeIfAbsent(method.fullMethodName(), k -> new int[2]);
            return new ForwardingClientCall.SimpleForwardingClientCall<>(
                next.newCall(method, options)) {
              @Override
              public CompletableFuture<Void> sendMessage(ReqT message) {
                c[0]++;
                return super.sendMessage(message);
              }

              @Override
              public void start(Listener<RespT> listener, Metadata headers) {
                super.start(
                    new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(
                        listener) {
                      @Override
                      public void onMessage(RespT message) {
                        c[1]++;
                        super.onMessage(message);
                      }
                    },
                    headers);
              }
            };
          }
        };
    Channel channel = ClientInterceptors.intercept(channel(server), counting);
    for (MethodDescriptor<byte[], byte[]> m : KINDS) {
      call(channel, m, "c");
    }
    assertThat(counts.get(UNARY.fullMethodName())).containsExactly(1, 1);
    assertThat(counts.get(SPLIT.fullMethodName())).containsExactly(1, 3);
    assertThat(counts.get(CONCAT.fullMethodName())).containsExactly(2, 1);
    assertThat(counts.get(ECHO.fullMethodName())).containsExactly(2, 2);
  }

  @Test
  void clientInterceptorChangesCallOptions() throws Exception {
    Map<String, Deadline> seen = new ConcurrentHashMap<>();
    ServiceDefinition service =
        ServiceDefinition.builder(SERVICE)
            .unary(
                UNARY,
                (req, ctx) -> {
                  seen.put("deadline", ctx.deadline());
                  return CompletableFuture.completedFuture(req);
                })
            .build();
    Server server = start(serverWith(service));
    ClientInterceptor defaultDeadline =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
            return next.newCall(
                method,
                options.deadline() != null
                    ? options
                    : options.withDeadlineAfter(Duration.ofSeconds(30)));
          }
        };
    Channel channel = ClientInterceptors.intercept(channel(server), defaultDeadline);
    ClientCalls.unaryCall(channel, UNARY, bytes("d")).get(10, TimeUnit.SECONDS);
    Deadline d = seen.get("deadline");
    assertThat(d).as("the server saw the deadline the interceptor set").isNotNull();
    assertThat(d.timeRemaining()).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(31));
  }

  @Test
  void clientInterceptorShortCircuitsWithoutReachingTheServer() throws Exception {
    Server server = start(serverWith(service()));
    ManagedChannel channel = channel(server);
    // A circuit breaker: the call never goes out; the listener gets the interceptor's status.
    ClientInterceptor open =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
            return new ClientInterceptors.CheckedForwardingClientCall<>(
                next.newCall(method, options)) {
              @Override
              protected void checkedStart(Listener<RespT> listener, Metadata headers)
                  throws Exception {
                throw Status.UNAVAILABLE.withDescription("circuit open").asException();
              }
            };
          }
        };
    Channel broken = ClientInterceptors.intercept(channel, open);
    for (MethodDescriptor<byte[], byte[]> m : KINDS) {
      Status s = statusOf(broken, m);
      assertThat(s.code()).as(m.fullMethodName()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(s.description()).isEqualTo("circuit open");
    }
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(broken, UNARY, bytes("x")))
        .isInstanceOf(StatusException.class)
        .hasMessageContaining("circuit open");
    assertThat(handled).as("nothing reached the server").hasValue(0);

    // A checkedStart that fails with any other exception closes the call UNKNOWN, with the cause.
    Channel failing =
        ClientInterceptors.intercept(
            channel,
            new ClientInterceptor() {
              @Override
              public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
                  MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
                return new ClientInterceptors.CheckedForwardingClientCall<>(
                    next.newCall(method, options)) {
                  @Override
                  protected void checkedStart(Listener<RespT> listener, Metadata headers)
                      throws Exception {
                    throw new IOException("token service down");
                  }
                };
              }
            });
    Status s = statusOf(failing, UNARY);
    assertThat(s.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(s.cause()).isInstanceOf(IOException.class).hasMessage("token service down");
    assertThat(handled).hasValue(0);
    // The channel still works: nothing of the short-circuited calls is left.
    assertThat(call(channel, UNARY, "ok")).isEqualTo("ok");
  }

  /**
   * Times and counts every method, as TiKV's {@code handle_request!} does for each kv method: a
   * duration histogram per method, and a failure counter per method.
   */
  static final class MethodMetrics implements ServerInterceptor {
    final Map<String, LongAdder> success = new ConcurrentHashMap<>();
    final Map<String, LongAdder> failure = new ConcurrentHashMap<>();
    final Map<String, List<Long>> durationsNanos = new ConcurrentHashMap<>();

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next) {
      String name = call.method().fullMethodName();
      long begin = System.nanoTime();
      AtomicBoolean recorded = new AtomicBoolean();
      Consumer<Boolean> done =
          ok -> {
            if (recorded.getAndSet(true)) {
              return; // closed, then cancelled before the status went out: counted once
            }
            durationsNanos
                .computeIfAbsent(name, k -> Collections.synchronizedList(new ArrayList<>()))
                .add(System.nanoTime() - begin);
            (ok ? success : failure).computeIfAbsent(name, k -> new LongAdder()).increment();
          };
      ServerCall<ReqT, RespT> timed =
          new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
              done.accept(status.isOk());
              super.close(status, trailers);
            }
          };
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
          next.startCall(timed)) {
        @Override
        public void onCancel() {
          done.accept(false);
          super.onCancel();
        }
      };
    }

    long count(Map<String, LongAdder> m, MethodDescriptor<?, ?> method) {
      LongAdder a = m.get(method.fullMethodName());
      return a == null ? 0 : a.sum();
    }
  }

  @Test
  void serverInterceptorTimesAndCountsEveryMethodLikeTikvHandleRequest() throws Exception {
    MethodMetrics metrics = new MethodMetrics();
    Server server = start(serverWith(service().intercept(metrics)));
    ManagedChannel channel = channel(server);
    int rounds = 5;
    for (int r = 0; r < rounds; r++) {
      for (MethodDescriptor<byte[], byte[]> m : KINDS) {
        call(channel, m, "m" + r);
      }
      statusOf(channel, FAIL);
    }
    ClientCalls.unaryCall(channel, SLOW, bytes("s")).get(10, TimeUnit.SECONDS);

    for (MethodDescriptor<byte[], byte[]> m : KINDS) {
      assertThat(metrics.count(metrics.success, m)).as(m.fullMethodName()).isEqualTo(rounds);
      assertThat(metrics.count(metrics.failure, m)).as(m.fullMethodName()).isZero();
      assertThat(metrics.durationsNanos.get(m.fullMethodName())).hasSize(rounds);
    }
    assertThat(metrics.count(metrics.failure, FAIL)).isEqualTo(rounds);
    assertThat(metrics.count(metrics.success, FAIL)).isZero();
    assertThat(metrics.durationsNanos.get(SLOW.fullMethodName()))
        .singleElement()
        .satisfies(n -> assertThat(n).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50)));
  }

  @Test
  void serverInterceptorCountsACancelledCallAsFailed() throws Exception {
    MethodMetrics metrics = new MethodMetrics();
    CompletableFuture<ServerCallContext> started = new CompletableFuture<>();
    MethodDescriptor<byte[], byte[]> hang = method(MethodDescriptor.MethodType.UNARY, "Hang");
    ServiceDefinition service =
        ServiceDefinition.builder(SERVICE)
            .unary(
                hang,
                (req, ctx) -> {
                  started.complete(ctx);
                  return new CompletableFuture<>();
                })
            .build()
            .intercept(metrics);
    Server server = start(serverWith(service));
    CompletableFuture<byte[]> f = ClientCalls.unaryCall(channel(server), hang, bytes("h"));
    ServerCallContext ctx = started.get(10, TimeUnit.SECONDS);
    f.cancel(true);
    ctx.whenCancelled().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 200 && metrics.count(metrics.failure, hang) == 0; i++) {
      Thread.sleep(10);
    }
    assertThat(metrics.count(metrics.failure, hang)).isEqualTo(1);
    assertThat(metrics.count(metrics.success, hang)).isZero();
  }

  /**
   * Maps exceptions to statuses, the way grpc-java services do with an interceptor: a handler's
   * IllegalArgumentException (the cause of its UNKNOWN close) becomes INVALID_ARGUMENT, and a
   * listener that throws closes the call with FAILED_PRECONDITION instead of cancelling it.
   */
  static final class ExceptionMapper implements ServerInterceptor {
    static Status map(Status status) {
      Throwable cause = status.cause();
      if (status.code() == Status.Code.UNKNOWN && cause instanceof IllegalArgumentException) {
        return Status.INVALID_ARGUMENT.withDescription(cause.getMessage()).withCause(cause);
      }
      return status;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next) {
      ServerCall<ReqT, RespT> mapping =
          new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
              super.close(map(status), trailers);
            }
          };
      ServerCall.Listener<ReqT> listener = next.startCall(mapping);
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
        @Override
        public void onHalfClose() {
          try {
            super.onHalfClose();
          } catch (IllegalStateException e) {
            mapping.close(Status.FAILED_PRECONDITION.withDescription(e.getMessage()), null);
          }
        }
      };
    }
  }

  @Test
  void serverInterceptorMapsExceptionsToStatuses() throws Exception {
    Server server = start(serverWith(service()).intercept(new ExceptionMapper()));
    ManagedChannel channel = channel(server);

    Status s = statusOf(channel, FAIL);
    assertThat(s.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.description()).isEqualTo("bad request: x");

    s = statusOf(channel, THROW_IN_LISTENER);
    assertThat(s.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(s.description()).isEqualTo("listener failed");
  }

  @Test
  void withoutAMapperAThrowingHandlerIsUnknownAndAThrowingListenerCancels() throws Exception {
    Server server = start(serverWith(service()));
    ManagedChannel channel = channel(server);
    Status s = statusOf(channel, FAIL);
    assertThat(s.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(s.description()).isEqualTo("Application error processing RPC");
    // The cause stays on the server: nothing of it goes on the wire.
    assertThat(s.cause()).isNull();

    s = statusOf(channel, THROW_IN_LISTENER);
    assertThat(s.code()).isIn(Status.Code.CANCELLED, Status.Code.UNKNOWN);
    assertThat(call(channel, UNARY, "after")).isEqualTo("after");
  }

  @Test
  void serverInterceptorThatThrowsFailsOnlyItsCall() throws Exception {
    ServerInterceptor broken =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next) {
            if (call.method().fullMethodName().equals(UNARY.fullMethodName())) {
              throw new IllegalStateException("interceptor bug");
            }
            return next.startCall(call);
          }
        };
    Server server = start(serverWith(service()).intercept(broken));
    ManagedChannel channel = channel(server);
    Status s = statusOf(channel, UNARY);
    assertThat(s.code()).isIn(Status.Code.CANCELLED, Status.Code.UNKNOWN);
    assertThat(handled).hasValue(0);
    assertThat(call(channel, SPLIT, "s")).isEqualTo(expected(SPLIT, "", "s"));
  }

  @Test
  void contextValuesReachHandlersOfEveryKindButNotOtherCalls() throws Exception {
    ServerInterceptor user =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next) {
            String u = call.context().requestHeaders().get("x-user");
            if (u == null) {
              return next.startCall(call);
            }
            return Contexts.interceptCall(Context.current().withValue(USER, u), call, next);
          }
        };
    Server server = start(serverWith(service()).intercept(user));
    ManagedChannel channel = channel(server);
    for (MethodDescriptor<byte[], byte[]> m : KINDS) {
      String name = "u" + m.type().ordinal();
      Channel as = ClientInterceptors.intercept(channel, header("x-user", name));
      assertThat(call(as, m, "v")).as(m.fullMethodName()).isEqualTo(expected(m, name + ":", "v"));
      assertThat(call(channel, m, "v")).as(m.fullMethodName()).isEqualTo(expected(m, "", "v"));
    }
  }

  static ClientInterceptor header(String key, String value) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            Metadata h = headers == null ? new Metadata() : headers;
            super.start(listener, h.put(key, value));
          }
        };
      }
    };
  }
}
