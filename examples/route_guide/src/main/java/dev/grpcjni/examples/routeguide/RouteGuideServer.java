// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.routeguide;

import dev.grpcjni.ServerCallContext;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/**
 * The RouteGuide server, on the generated {@link RouteGuideGrpcJni.ImplBase}: unary GetFeature,
 * server-streaming ListFeatures, client-streaming RecordRoute and bidirectional RouteChat, all in
 * the {@link Flow} style.
 *
 * <p>Usage: {@code RouteGuideServer [--address=127.0.0.1:50052]}.
 */
public final class RouteGuideServer extends RouteGuideGrpcJni.ImplBase {
  private final List<Feature> features;
  private final Map<Point, List<RouteNote>> notes = new ConcurrentHashMap<>();

  public RouteGuideServer(List<Feature> features) {
    this.features = features;
  }

  @Override
  public CompletableFuture<Feature> getFeature(Point point, ServerCallContext context) {
    return CompletableFuture.completedFuture(featureAt(point));
  }

  @Override
  public Flow.Publisher<Feature> listFeatures(Rectangle rect, ServerCallContext context) {
    return new ListPublisher<>(inside(rect));
  }

  @Override
  public CompletableFuture<RouteSummary> recordRoute(
      Flow.Publisher<Point> points, ServerCallContext context) {
    CompletableFuture<RouteSummary> summary = new CompletableFuture<>();
    long start = System.nanoTime();
    points.subscribe(
        new Flow.Subscriber<Point>() {
          int count;
          int featureCount;
          long distance;
          Point previous;
          Flow.Subscription subscription;

          @Override
          public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
          }

          @Override
          public void onNext(Point p) {
            count++;
            if (!featureAt(p).getName().isEmpty()) {
              featureCount++;
            }
            if (previous != null) {
              distance += Geo.distance(previous, p);
            }
            previous = p;
            subscription.request(1); // one point at a time: the client cannot outrun us
          }

          @Override
          public void onError(Throwable t) {
            summary.completeExceptionally(t);
          }

          @Override
          public void onComplete() {
            summary.complete(
                RouteSummary.newBuilder()
                    .setPointCount(count)
                    .setFeatureCount(featureCount)
                    .setDistance((int) Math.min(Integer.MAX_VALUE, distance))
                    .setElapsedTimeSeconds(
                        (int) Duration.ofNanos(System.nanoTime() - start).toSeconds())
                    .build());
          }
        });
    return summary;
  }

  /**
   * Answers each note with the notes posted at its location before. The replies go through a JDK
   * {@link SubmissionPublisher}, which buffers a little and holds the next note back while the
   * client is slow to read: backpressure end to end.
   */
  @Override
  public Flow.Publisher<RouteNote> routeChat(
      Flow.Publisher<RouteNote> incoming, ServerCallContext context) {
    SubmissionPublisher<RouteNote> replies = new SubmissionPublisher<>();
    incoming.subscribe(
        new Flow.Subscriber<RouteNote>() {
          Flow.Subscription subscription;

          @Override
          public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
          }

          @Override
          public void onNext(RouteNote note) {
            List<RouteNote> here =
                notes.computeIfAbsent(note.getLocation(), p -> new ArrayList<>());
            List<RouteNote> earlier;
            synchronized (here) {
              earlier = new ArrayList<>(here);
              here.add(note);
            }
            earlier.forEach(replies::submit); // blocks while the client's buffer is full
            subscription.request(1);
          }

          @Override
          public void onError(Throwable t) {
            replies.closeExceptionally(t);
          }

          @Override
          public void onComplete() {
            replies.close();
          }
        });
    return replies;
  }

  Feature featureAt(Point p) {
    for (Feature f : features) {
      if (f.getLocation().equals(p)) {
        return f;
      }
    }
    return Feature.newBuilder().setLocation(p).build();
  }

  List<Feature> inside(Rectangle r) {
    int left = Math.min(r.getLo().getLongitude(), r.getHi().getLongitude());
    int right = Math.max(r.getLo().getLongitude(), r.getHi().getLongitude());
    int bottom = Math.min(r.getLo().getLatitude(), r.getHi().getLatitude());
    int top = Math.max(r.getLo().getLatitude(), r.getHi().getLatitude());
    List<Feature> found = new ArrayList<>();
    for (Feature f : features) {
      Point p = f.getLocation();
      if (p.getLongitude() >= left
          && p.getLongitude() <= right
          && p.getLatitude() >= bottom
          && p.getLatitude() <= top) {
        found.add(f);
      }
    }
    return found;
  }

  /** Publishes a list, honouring demand. */
  static final class ListPublisher<T> implements Flow.Publisher<T> {
    private final List<T> items;

    ListPublisher(List<T> items) {
      this.items = items;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
      subscriber.onSubscribe(
          new Flow.Subscription() {
            private int next;
            private long demand;
            private boolean emitting;
            private boolean done;

            @Override
            public synchronized void request(long n) {
              demand = Math.min(Long.MAX_VALUE / 2, demand + n);
              if (emitting) {
                return; // the loop below picks the new demand up
              }
              emitting = true;
              while (demand > 0 && next < items.size() && !done) {
                demand--;
                subscriber.onNext(items.get(next++));
              }
              if (next == items.size() && !done) {
                done = true;
                subscriber.onComplete();
              }
              emitting = false;
            }

            @Override
            public synchronized void cancel() {
              done = true;
            }
          });
    }
  }

  public static void main(String[] args) throws Exception {
    String address =
        args.length > 0 && args[0].startsWith("--address=")
            ? args[0].substring("--address=".length())
            : "127.0.0.1:50052";
    Server server =
        ServerBuilder.forAddress(address)
            .addService(new RouteGuideServer(Features.grid()).bindService())
            .build()
            .start();
    System.out.println(
        "RouteGuide listening on "
            + address.substring(0, address.lastIndexOf(':'))
            + ":"
            + server.port());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    server.terminationFuture().join();
  }
}
