// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.kvstore;

import com.google.protobuf.ByteString;
import dev.grpcjni.Channel;
import dev.grpcjni.Metadata;
import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.stub.ClientCallStreamObserver;
import dev.grpcjni.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives a KvStore with a few thousand operations and prints a summary: unary puts, gets (hits and
 * misses), scans and deletes with 32 calls in flight, and the same number of commands through one
 * Batch stream.
 *
 * <p>Usage: {@code KvStoreClient [--target=127.0.0.1:50053] [--ops=5000] [--client-id=cli]}.
 */
public final class KvStoreClient {
  /** Outcomes per operation: "get OK", "get NOT_FOUND", ... */
  public static final class Summary {
    final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    long elapsedNanos;

    void count(String op, Status.Code code) {
      outcomes.computeIfAbsent(op + " " + code, k -> new LongAdder()).increment();
    }

    public long count(String op, String code) {
      LongAdder a = outcomes.get(op + " " + code);
      return a == null ? 0 : a.sum();
    }

    public long total() {
      return outcomes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      new TreeMap<>(outcomes)
          .forEach((k, v) -> sb.append(String.format("  %-22s %8d%n", k, v.sum())));
      double seconds = elapsedNanos / 1e9;
      sb.append(
          String.format(
              "  %d operations in %.2f s: %.0f ops/s%n", total(), seconds, total() / seconds));
      return sb.toString();
    }
  }

  private final KvStoreGrpcJni.Stub stub;
  private final Summary summary = new Summary();
  private final Semaphore window = new Semaphore(32);

  public KvStoreClient(Channel channel, String clientId) {
    this.stub =
        KvStoreGrpcJni.newStub(channel)
            .withHeaders(new Metadata().put(KvStoreServer.CLIENT_ID, clientId))
            .withDeadlineAfter(Duration.ofMinutes(5));
  }

  static ByteString key(int i) {
    return ByteString.copyFromUtf8(String.format("key-%06d", i));
  }

  /** Tracks a unary call's outcome, 32 in flight at most. */
  private <T> void track(String op, CompletableFuture<T> call) throws InterruptedException {
    call.whenComplete(
        (r, e) -> {
          summary.count(op, e == null ? Status.Code.OK : Status.fromThrowable(e).code());
          window.release();
        });
  }

  private void acquire() throws InterruptedException {
    window.acquire();
  }

  /** Runs the workload over {@code ops} keys. */
  public Summary run(int ops) throws Exception {
    long t0 = System.nanoTime();
    for (int i = 0; i < ops; i++) {
      acquire();
      track(
          "put",
          stub.put(
              PutRequest.newBuilder()
                  .setKey(key(i))
                  .setValue(ByteString.copyFromUtf8("v" + i))
                  .build()));
    }
    for (int i = 0; i < ops + ops / 10; i++) { // the last tenth miss
      acquire();
      track("get", stub.get(GetRequest.newBuilder().setKey(key(i)).build()));
    }
    for (int i = 0; i < ops; i += 100) {
      acquire();
      track("scan", stub.scan(ScanRequest.newBuilder().setStart(key(i)).setLimit(100).build()));
    }
    window.acquire(32);
    window.release(32);
    batch(ops);
    for (int i = 0; i < ops; i++) {
      acquire();
      track("delete", stub.delete(DeleteRequest.newBuilder().setKey(key(i)).build()));
    }
    window.acquire(32);
    window.release(32);
    summary.elapsedNanos = System.nanoTime() - t0;
    return summary;
  }

  /** Sends {@code ops} get and put commands on one Batch stream and matches responses by id. */
  private void batch(int ops) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Map<Long, String> pending = new ConcurrentHashMap<>();
    ClientCallStreamObserver<BatchRequest> requests =
        stub.batch(
            new StreamObserver<BatchResponse>() {
              @Override
              public void onNext(BatchResponse r) {
                String op = pending.remove(r.getId());
                if (op == null) {
                  done.completeExceptionally(new IllegalStateException("unknown id " + r.getId()));
                  return;
                }
                summary.count(
                    op,
                    r.hasError() ? Status.Code.fromValue(r.getError().getCode()) : Status.Code.OK);
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                done.complete(null);
              }
            });
    for (int i = 0; i < ops; i++) {
      BatchRequest.Builder b = BatchRequest.newBuilder().setId(i);
      if (i % 2 == 0) {
        b.setGet(GetRequest.newBuilder().setKey(key(i)));
        pending.put((long) i, "batch get");
      } else {
        b.setPut(PutRequest.newBuilder().setKey(key(i)).setValue(ByteString.copyFromUtf8("b" + i)));
        pending.put((long) i, "batch put");
      }
      requests.write(b.build()).get(1, TimeUnit.MINUTES); // backpressure: one accepted at a time
    }
    requests.onCompleted();
    done.get(5, TimeUnit.MINUTES);
    if (!pending.isEmpty()) {
      throw new IllegalStateException(pending.size() + " batch commands were not answered");
    }
  }

  public static void main(String[] args) throws Exception {
    String target = "127.0.0.1:50053";
    int ops = 5000;
    String clientId = "cli";
    for (String arg : args) {
      if (arg.startsWith("--target=")) {
        target = arg.substring("--target=".length());
      } else if (arg.startsWith("--ops=")) {
        ops = Integer.parseInt(arg.substring("--ops=".length()));
      } else if (arg.startsWith("--client-id=")) {
        clientId = arg.substring("--client-id=".length());
      } else {
        System.err.println("usage: KvStoreClient [--target=H:P] [--ops=N] [--client-id=ID]");
        System.exit(2);
      }
    }
    try (ManagedChannel channel = ChannelBuilder.forTarget(target).build()) {
      Summary s = new KvStoreClient(channel, clientId).run(ops);
      System.out.print(s);
    } catch (StatusException e) {
      System.err.println("failed: " + e.status());
      System.exit(1);
    }
  }
}
