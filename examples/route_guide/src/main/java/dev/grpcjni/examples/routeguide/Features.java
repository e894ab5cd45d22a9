// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.routeguide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The example's map: named features on a 10 x 10 grid of 0.1-degree steps, a few gaps. */
public final class Features {
  private Features() {}

  public static List<Feature> grid() {
    List<Feature> features = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 10; j++) {
        if ((i * 10 + j) % 7 == 3) {
          continue; // some points have no feature
        }
        features.add(
            Feature.newBuilder()
                .setName("Landmark " + (char) ('A' + i) + j)
                .setLocation(Geo.point(40.0 + i * 0.1, -74.0 + j * 0.1))
                .build());
      }
    }
    return Collections.unmodifiableList(features);
  }
}
