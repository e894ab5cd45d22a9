// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.routeguide;

/** Points and distances on the route guide's map. */
public final class Geo {
  private Geo() {}

  /** Meters between two points (haversine, on a sphere of the Earth's mean radius). */
  public static int distance(Point a, Point b) {
    double lat1 = Math.toRadians(a.getLatitude() / 1e7);
    double lat2 = Math.toRadians(b.getLatitude() / 1e7);
    double dLat = lat2 - lat1;
    double dLon = Math.toRadians((b.getLongitude() - a.getLongitude()) / 1e7);
    double h =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return (int) Math.round(2 * 6_371_000 * Math.asin(Math.sqrt(h)));
  }

  /** A point from degrees. */
  public static Point point(double latitude, double longitude) {
    return Point.newBuilder()
        .setLatitude((int) Math.round(latitude * 1e7))
        .setLongitude((int) Math.round(longitude * 1e7))
        .build();
  }
}
