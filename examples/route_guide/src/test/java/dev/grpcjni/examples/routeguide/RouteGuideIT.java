// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.routeguide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Smoke test: all four call kinds of the example against its server on 127.0.0.1:0. */
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
}
