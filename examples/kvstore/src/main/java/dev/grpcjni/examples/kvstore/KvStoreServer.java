// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.kvstore;

import com.google.protobuf.ByteString;
import dev.grpcjni.ServerCallContext;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.services.health.HealthStatusManager;
import dev.grpcjni.services.health.v1.HealthCheckResponse.ServingStatus;
import dev.grpcjni.services.reflection.ProtoReflectionService;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.atomic.LongAdder;

/**
 * An in-memory key-value store on the generated {@link KvStoreGrpcJni.ImplBase}, shaped like TiKV's
 * handlers: each command validates its input (INVALID_ARGUMENT), reports missing keys (NOT_FOUND),
 * requires the {@code x-client-id} header, and gives up once the call's deadline has passed or the
 * call was cancelled.
 *
 * <p>Usage: {@code KvStoreServer [--address=127.0.0.1:50053]}.
 */
public final class KvStoreServer extends KvStoreGrpcJni.ImplBase {
  /** Header naming the caller; counted per client. */
  public static final String CLIENT_ID = "x-client-id";

  static final int MAX_KEY = 4096;
  static final int MAX_SCAN = 10_000;

  private final NavigableMap<ByteString, ByteString> store =
      new ConcurrentSkipListMap<>(ByteString.unsignedLexicographicalComparator());
  private final Map<String, LongAdder> commandsByClient = new ConcurrentHashMap<>();

  /** Commands served per client id, for monitoring. */
  public Map<String, LongAdder> commandsByClient() {
    return commandsByClient;
  }

  @Override
  public CompletableFuture<GetResponse> get(GetRequest request, ServerCallContext context) {
    return run(context, () -> getValue(request));
  }

  @Override
  public CompletableFuture<PutResponse> put(PutRequest request, ServerCallContext context) {
    return run(context, () -> putValue(request));
  }

  @Override
  public CompletableFuture<DeleteResponse> delete(
      DeleteRequest request, ServerCallContext context) {
    return run(context, () -> deleteKey(request));
  }

  @Override
  public CompletableFuture<ScanResponse> scan(ScanRequest request, ServerCallContext context) {
    return run(context, () -> scanRange(request, context));
  }

  /**
   * Serves commands as they arrive, one at a time, answering each with its id. A command that fails
   * is answered with an error; the stream goes on.
   */
  @Override
  public Flow.Publisher<BatchResponse> batch(
      Flow.Publisher<BatchRequest> requests, ServerCallContext context) {
    SubmissionPublisher<BatchResponse> responses = new SubmissionPublisher<>();
    String client;
    try {
      client = clientId(context);
    } catch (StatusException e) {
      responses.closeExceptionally(e);
      return responses;
    }
    requests.subscribe(
        new Flow.Subscriber<BatchRequest>() {
          Flow.Subscription subscription;

          @Override
          public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
          }

          @Override
          public void onNext(BatchRequest r) {
            count(client);
            responses.submit(execute(r)); // waits while the client is slow to read
            subscription.request(1);
          }

          @Override
          public void onError(Throwable t) {
            responses.closeExceptionally(t);
          }

          @Override
          public void onComplete() {
            responses.close();
          }
        });
    return responses;
  }

  BatchResponse execute(BatchRequest r) {
    BatchResponse.Builder b = BatchResponse.newBuilder().setId(r.getId());
    try {
      switch (r.getCommandCase()) {
        case GET:
          return b.setGet(getValue(r.getGet())).build();
        case PUT:
          return b.setPut(putValue(r.getPut())).build();
        case DELETE:
          return b.setDelete(deleteKey(r.getDelete())).build();
        default:
          throw invalid("batch request " + r.getId() + " has no command");
      }
    } catch (StatusException e) {
      return b.setError(
              Error.newBuilder()
                  .setCode(e.status().code().value())
                  .setMessage(e.status().description()))
          .build();
    }
  }

  // ---- the commands

  GetResponse getValue(GetRequest r) {
    ByteString value = store.get(checkKey(r.getKey()));
    if (value == null) {
      throw Status.NOT_FOUND.withDescription("no key " + printable(r.getKey())).asException();
    }
    return GetResponse.newBuilder().setValue(value).build();
  }

  PutResponse putValue(PutRequest r) {
    ByteString previous = store.put(checkKey(r.getKey()), r.getValue());
    PutResponse.Builder b = PutResponse.newBuilder().setExisted(previous != null);
    if (previous != null) {
      b.setPrevious(previous);
    }
    return b.build();
  }

  DeleteResponse deleteKey(DeleteRequest r) {
    if (store.remove(checkKey(r.getKey())) == null) {
      throw Status.NOT_FOUND.withDescription("no key " + printable(r.getKey())).asException();
    }
    return DeleteResponse.getDefaultInstance();
  }

  ScanResponse scanRange(ScanRequest r, ServerCallContext context) {
    if (r.getLimit() < 1 || r.getLimit() > MAX_SCAN) {
      throw invalid("limit must be 1 to " + MAX_SCAN + ": " + r.getLimit());
    }
    NavigableMap<ByteString, ByteString> range =
        r.getEnd().isEmpty()
            ? store.tailMap(r.getStart(), true)
            : store.subMap(r.getStart(), true, r.getEnd(), false);
    ScanResponse.Builder b = ScanResponse.newBuilder();
    for (Map.Entry<ByteString, ByteString> e : range.entrySet()) {
      if (b.getPairsCount() == r.getLimit()) {
        break;
      }
      if (context.isCancelled()) {
        throw Status.CANCELLED.withDescription("scan abandoned").asException();
      }
      b.addPairs(KeyValue.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
    }
    return b.build();
  }

  // ---- helpers

  /** A command behind the client-id and deadline checks, as a future. */
  private <T> CompletableFuture<T> run(
      ServerCallContext context, java.util.function.Supplier<T> command) {
    try {
      count(clientId(context));
      if (context.deadline() != null && context.deadline().isExpired()) {
        throw Status.DEADLINE_EXCEEDED
            .withDescription("deadline passed before the command ran")
            .asException();
      }
      return CompletableFuture.completedFuture(command.get());
    } catch (StatusException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static String clientId(ServerCallContext context) {
    String id = context.requestHeaders().get(CLIENT_ID);
    if (id == null || id.isBlank()) {
      throw invalid("missing " + CLIENT_ID + " header");
    }
    return id;
  }

  private void count(String client) {
    commandsByClient.computeIfAbsent(client, c -> new LongAdder()).increment();
  }

  private static ByteString checkKey(ByteString key) {
    if (key.isEmpty()) {
      throw invalid("empty key");
    }
    if (key.size() > MAX_KEY) {
      throw invalid("key of " + key.size() + " bytes, more than " + MAX_KEY);
    }
    return key;
  }

  private static StatusException invalid(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asException();
  }

  private static String printable(ByteString key) {
    return key.isValidUtf8() ? "'" + key.toStringUtf8() + "'" : key.size() + " bytes";
  }

  /**
   * Starts a kvstore server on {@code address}, with health checking (every service SERVING) and
   * server reflection (v1 and v1alpha) beside the store, as a production server would.
   */
  public static Server start(String address) throws java.io.IOException {
    HealthStatusManager health = new HealthStatusManager();
    ProtoReflectionService reflection = ProtoReflectionService.newInstance();
    Server server =
        ServerBuilder.forAddress(address)
            .addService(new KvStoreServer().bindService())
            .addService(health.getHealthService())
            .addService(reflection.bindService())
            .addService(reflection.bindServiceV1Alpha())
            .build()
            .start();
    health.setStatusOfAll(server, ServingStatus.SERVING);
    return server;
  }

  public static void main(String[] args) throws Exception {
    String address =
        args.length > 0 && args[0].startsWith("--address=")
            ? args[0].substring("--address=".length())
            : "127.0.0.1:50053";
    Server server = start(address);
    System.out.println(
        "KvStore listening on "
            + address.substring(0, address.lastIndexOf(':'))
            + ":"
            + server.port());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    server.terminationFuture().join();
  }
}
