// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package io.grpc.testing.integration;

import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import org.junit.Ignore;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * grpc-java's own interop suite with grpc-java's API on grpc-jni at both ends, each picked by
 * grpc-java through the providers, over 127.0.0.1.
 */
@RunWith(JUnit4.class)
public class GrpcJniOnBothEndsIT extends GrpcJniInteropTest {
  @Override
  protected ServerBuilder<?> getServerBuilder() {
    return grpcJniServer();
  }

  @Override
  protected ManagedChannelBuilder<?> createChannelBuilder() {
    return grpcJniChannel();
  }

  /**
   * Skipped: the test needs the client call's local address, and the C core (1.51) tells a call
   * only its peer (grpc_call_get_peer), not the local end of the connection.
   */
  @Override
  @Test
  @Ignore("the C core exposes no local address for a client call")
  public void getServerAddressAndLocalAddressFromClient() {}
}
