// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.Environment;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes what a test registered, newest first, and fails the test if a server or channel did not
 * terminate within 10 s (grpc-java's GrpcCleanupRule).
 */
public final class GrpcCleanup implements AfterEachCallback {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final List<AutoCloseable> resources = new ArrayList<>();

  public synchronized <T extends AutoCloseable> T register(T resource) {
    resources.add(resource);
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<AutoCloseable> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(resources);
      resources.clear();
    }
    for (int i = toClose.size() - 1; i >= 0; i--) {
      AutoCloseable r = toClose.get(i);
      if (r instanceof Server) {
        Server s = (Server) r;
        s.shutdownNow();
        assertThat(s.awaitTermination(TIMEOUT)).as("%s terminated", s).isTrue();
      } else if (r instanceof ManagedChannel) {
        ManagedChannel c = (ManagedChannel) r;
        c.shutdownNow();
        assertThat(c.awaitTermination(TIMEOUT)).as("%s terminated", c).isTrue();
      } else if (r instanceof Environment) {
        r.close();
      } else {
        r.close();
      }
    }
  }
}
