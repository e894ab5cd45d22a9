// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.routeguide;

import dev.grpcjni.MethodDescriptor;
import dev.grpcjni.MethodDescriptor.MethodType;
import dev.grpcjni.protobuf.ProtoMethods;

/**
 * The RouteGuide service's method descriptors, written by hand; the protobuf code generator
 * produces this (and typed stubs) from route_guide.proto.
 */
public final class RouteGuide {
  public static final String SERVICE = "routeguide.RouteGuide";

  public static final MethodDescriptor<Point, Feature> GET_FEATURE =
      ProtoMethods.method(
          MethodType.UNARY,
          SERVICE + "/GetFeature",
          Point.getDefaultInstance(),
          Feature.getDefaultInstance());

  public static final MethodDescriptor<Rectangle, Feature> LIST_FEATURES =
      ProtoMethods.method(
          MethodType.SERVER_STREAMING,
          SERVICE + "/ListFeatures",
          Rectangle.getDefaultInstance(),
          Feature.getDefaultInstance());

  public static final MethodDescriptor<Point, RouteSummary> RECORD_ROUTE =
      ProtoMethods.method(
          MethodType.CLIENT_STREAMING,
          SERVICE + "/RecordRoute",
          Point.getDefaultInstance(),
          RouteSummary.getDefaultInstance());

  public static final MethodDescriptor<RouteNote, RouteNote> ROUTE_CHAT =
      ProtoMethods.method(
          MethodType.BIDI_STREAMING,
          SERVICE + "/RouteChat",
          RouteNote.getDefaultInstance(),
          RouteNote.getDefaultInstance());

  private RouteGuide() {}

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
