// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.routeguide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.CallOptions;
import dev.grpcjni.Channel;
import dev.grpcjni.ClientCall;
import dev.grpcjni.ClientInterceptor;
import dev.grpcjni.ForwardingClientCall;
import dev.grpcjni.Metadata;
import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.ServerCall;
import dev.grpcjni.ServerCallHandler;
import dev.grpcjni.ServerInterceptor;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.stub.ResponseIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Smoke test: all four call kinds of the example against its server on 127.0.0.1:0, and the
 * generated stub's interceptors and blocking iterator.
 */
class RouteGuideIT {
  @Test
  void allFourCallKinds() throws Exception {
    List<Feature> features = Features.grid();
    try (Server server =
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(new RouteGuideServer(features).bindService())
                .build()
                .start();
        ManagedChannel channel = ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build()) {
      RouteGuideClient client = new RouteGuideClient(channel);

      Feature known = features.get(5);
      assertThat(client.getFeature(known.getLocation())).isEqualTo(known);
      assertThat(client.getFeature(Geo.point(1, 1)).getName()).isEmpty();

      Rectangle all =
          Rectangle.newBuilder().setLo(Geo.point(39, -75)).setHi(Geo.point(42, -72)).build();
      assertThat(client.listFeatures(all)).containsExactlyElementsOf(features);

      List<Point> route =
          List.of(features.get(0).getLocation(), features.get(1).getLocation(), Geo.point(1, 1));
      RouteSummary summary = client.recordRoute(route);
      assertThat(summary.getPointCount()).isEqualTo(3);
      assertThat(summary.getFeatureCount()).isEqualTo(2);
      assertThat(summary.getDistance())
          .isEqualTo(
              Geo.distance(route.get(0), route.get(1)) + Geo.distance(route.get(1), route.get(2)));

      Point here = Geo.point(40, -74);
      List<RouteNote> notes =
          List.of(
              RouteNote.newBuilder().setLocation(here).setMessage("a").build(),
              RouteNote.newBuilder().setLocation(here).setMessage("b").build(),
              RouteNote.newBuilder().setLocation(here).setMessage("c").build());
      // Each note hears the earlier ones at the same place: 0 + 1 + 2.
      assertThat(client.routeChat(notes))
          .extracting(RouteNote::getMessage)
          .containsExactly("a", "a", "b");
    }
  }

  /** Adds {@code x-trace} to every call, and records each method it passes. */
  static final class Trace implements ClientInterceptor {
    final List<String> methods = new CopyOnWriteArrayList<>();

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
      methods.add(method.fullMethodName());
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          Metadata h = headers == null ? new Metadata() : headers;
          h.put("x-trace", "t-1");
          super.start(listener, h);
        }
      };
    }
  }

  @Test
  void theGeneratedStubsInterceptorsSeeEveryKindAndItsIteratorReadsTheStream() throws Exception {
    List<Feature> features = Features.grid();
    List<String> traced = new CopyOnWriteArrayList<>();
    ServerInterceptor seeTrace =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, ServerCallHandler<ReqT, RespT> next) {
            traced.add(
                call.method().fullMethodName()
                    + " "
                    + call.context().requestHeaders().get("x-trace"));
            return next.startCall(call);
          }
        };
    try (Server server =
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(new RouteGuideServer(features).bindService())
                .intercept(seeTrace)
                .build()
                .start();
        ManagedChannel channel = ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build()) {
      Trace trace = new Trace();
      RouteGuideGrpcJni.Stub stub = RouteGuideGrpcJni.newStub(channel).withInterceptors(trace);

      Feature known = features.get(5);
      assertThat(stub.getFeatureBlocking(known.getLocation())).isEqualTo(known);

      Rectangle all =
          Rectangle.newBuilder().setLo(Geo.point(39, -75)).setHi(Geo.point(42, -72)).build();
      List<Feature> listed = new ArrayList<>();
      try (ResponseIterator<Feature> it = stub.listFeaturesBlocking(all)) {
        while (it.hasNext()) {
          listed.add(it.next());
        }
      }
      assertThat(listed).containsExactlyElementsOf(features);
      try (ResponseIterator<Feature> it = stub.listFeaturesBlocking(all)) {
        assertThat(it.next()).isEqualTo(features.get(0)); // and stop: close cancels the rest
      }

      SubmissionPublisher<Point> points = new SubmissionPublisher<>();
      var summary = stub.recordRoute(points);
      points.submit(features.get(0).getLocation());
      points.close();
      assertThat(summary.get(10, TimeUnit.SECONDS).getPointCount()).isEqualTo(1);

      SubmissionPublisher<RouteNote> notes = new SubmissionPublisher<>();
      Flow.Publisher<RouteNote> heard = stub.routeChat(notes);
      List<RouteNote> got = new CopyOnWriteArrayList<>();
      java.util.concurrent.CompletableFuture<Void> done =
          new java.util.concurrent.CompletableFuture<>();
      heard.subscribe(
          new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
              s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(RouteNote n) {
              got.add(n);
            }

            @Override
            public void onError(Throwable t) {
              done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
              done.complete(null);
            }
          });
      notes.submit(RouteNote.newBuilder().setLocation(Geo.point(1, 2)).setMessage("x").build());
      notes.close();
      done.get(10, TimeUnit.SECONDS);

      String svc = "routeguide.RouteGuide/";
      List<String> expected =
          List.of(
              svc + "GetFeature",
              svc + "ListFeatures",
              svc + "ListFeatures",
              svc + "RecordRoute",
              svc + "RouteChat");
      assertThat(trace.methods).containsExactlyElementsOf(expected);
      assertThat(traced).containsExactlyElementsOf(expected.stream().map(m -> m + " t-1").toList());
      // The stub without interceptors is unchanged.
      RouteGuideGrpcJni.newStub(channel).getFeatureBlocking(known.getLocation());
      assertThat(trace.methods).hasSize(5);
      assertThat(traced.get(5)).endsWith(" null");
    }
  }
}
