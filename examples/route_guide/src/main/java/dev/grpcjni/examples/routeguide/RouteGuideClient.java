// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.routeguide;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.stub.ClientCallStreamObserver;
import dev.grpcjni.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Calls each RouteGuide method once through the generated {@link RouteGuideGrpcJni.Stub} and prints
 * what came back: Flow style for the streams, observer style for RouteChat.
 *
 * <p>Usage: {@code RouteGuideClient [--target=127.0.0.1:50052]}.
 */
public final class RouteGuideClient {
  private final ManagedChannel channel;

  public RouteGuideClient(ManagedChannel channel) {
    this.channel = channel;
  }

  /** A stub whose calls have 30 s to finish, counted from each use. */
  private RouteGuideGrpcJni.Stub stub() {
    return RouteGuideGrpcJni.newStub(channel).withDeadlineAfter(Duration.ofSeconds(30));
  }

  /** Unary: the feature at a point. */
  public Feature getFeature(Point p) {
    return stub().getFeatureBlocking(p);
  }

  /** Server streaming, Flow style: the features in a rectangle, requested ten at a time. */
  public List<Feature> listFeatures(Rectangle r) throws Exception {
    List<Feature> found = new ArrayList<>();
    CompletableFuture<List<Feature>> done = new CompletableFuture<>();
    stub()
        .listFeatures(r)
        .subscribe(
            new Flow.Subscriber<Feature>() {
              Flow.Subscription s;
              int left;

              @Override
              public void onSubscribe(Flow.Subscription s) {
                this.s = s;
                left = 10;
                s.request(10);
              }

              @Override
              public void onNext(Feature f) {
                found.add(f);
                if (--left == 0) {
                  left = 10;
                  s.request(10);
                }
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onComplete() {
                done.complete(found);
              }
            });
    return done.get(30, TimeUnit.SECONDS);
  }

  /** Client streaming, Flow style: a route of points; the server's summary. */
  public RouteSummary recordRoute(List<Point> route) throws Exception {
    Flow.Publisher<Point> points = new RouteGuideServer.ListPublisher<>(route);
    return stub().recordRoute(points).get(30, TimeUnit.SECONDS);
  }

  /** Bidirectional, observer style: posts notes, returns what the server sent back. */
  public List<RouteNote> routeChat(List<RouteNote> notes) throws Exception {
    List<RouteNote> received = new ArrayList<>();
    CompletableFuture<List<RouteNote>> done = new CompletableFuture<>();
    ClientCallStreamObserver<RouteNote> requests =
        stub()
            .routeChat(
                new StreamObserver<RouteNote>() {
                  @Override
                  public void onNext(RouteNote note) {
                    received.add(note);
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(received);
                  }
                });
    for (RouteNote note : notes) {
      requests.write(note).get(30, TimeUnit.SECONDS); // backpressure: wait until accepted
    }
    requests.onCompleted();
    return done.get(30, TimeUnit.SECONDS);
  }

  public static void main(String[] args) throws Exception {
    String target =
        args.length > 0 && args[0].startsWith("--target=")
            ? args[0].substring(9)
            : "127.0.0.1:50052";
    try (ManagedChannel channel = ChannelBuilder.forTarget(target).build()) {
      RouteGuideClient client = new RouteGuideClient(channel);
      Feature f = client.getFeature(Geo.point(40.1, -73.9));
      System.out.println(
          "GetFeature: " + (f.getName().isEmpty() ? "nothing" : f.getName()) + " at 40.1, -73.9");

      List<Feature> inside =
          client.listFeatures(
              Rectangle.newBuilder()
                  .setLo(Geo.point(40.0, -74.0))
                  .setHi(Geo.point(40.3, -73.7))
                  .build());
      System.out.println("ListFeatures: " + inside.size() + " features in the rectangle");

      Random random = new Random(1);
      List<Point> route = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        route.add(Geo.point(40.0 + random.nextInt(10) * 0.1, -74.0 + random.nextInt(10) * 0.1));
      }
      RouteSummary summary = client.recordRoute(route);
      System.out.printf(
          "RecordRoute: %d points, %d features, %.1f km%n",
          summary.getPointCount(), summary.getFeatureCount(), summary.getDistance() / 1000.0);

      List<RouteNote> notes = new ArrayList<>();
      for (String m : new String[] {"first", "second", "third", "fourth"}) {
        notes.add(
            RouteNote.newBuilder()
                .setLocation(Geo.point(40.0, -74.0 + (notes.size() % 2) * 0.1))
                .setMessage(m)
                .build());
      }
      List<RouteNote> heard = client.routeChat(notes);
      System.out.println("RouteChat: heard " + heard.size() + " earlier notes");
    }
  }
}
