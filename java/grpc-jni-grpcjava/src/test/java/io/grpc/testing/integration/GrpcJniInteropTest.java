// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package io.grpc.testing.integration;

import static org.junit.Assert.assertTrue;

import dev.grpcjni.grpcjava.GrpcJniChannelBuilder;
import dev.grpcjni.grpcjava.GrpcJniServerBuilder;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import java.net.InetSocketAddress;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/**
 * grpc-java's interop suite as the three conformance runs share it: no census (metrics are not
 * checked), and no native object outliving the class (see {@link NativeLeakCheck}).
 */
public abstract class GrpcJniInteropTest extends AbstractInteropTest {
  private static long[] liveBefore;

  @BeforeClass
  public static void recordLiveNativeObjects() {
    liveBefore = NativeLeakCheck.snapshot();
  }

  @AfterClass
  public static void noNativeObjectOutlivesTheClass() throws InterruptedException {
    NativeLeakCheck.assertBackTo(liveBefore);
  }

  /** grpc-java's plaintext server builder for port 0, checked to be grpc-jni's. */
  protected static ServerBuilder<?> grpcJniServer() {
    ServerBuilder<?> b =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .maxInboundMessageSize(MAX_MESSAGE_SIZE);
    assertTrue("grpc-java picked " + b.getClass(), b instanceof GrpcJniServerBuilder);
    return b;
  }

  /** grpc-java's plaintext channel builder for the suite's server, checked to be grpc-jni's. */
  protected final ManagedChannelBuilder<?> grpcJniChannel() {
    ManagedChannelBuilder<?> b =
        Grpc.newChannelBuilderForAddress("127.0.0.1", port(), InsecureChannelCredentials.create())
            .maxInboundMessageSize(MAX_MESSAGE_SIZE);
    assertTrue("grpc-java picked " + b.getClass(), b instanceof GrpcJniChannelBuilder);
    return b;
  }

  /** The port the suite's server listens on. */
  protected final int port() {
    return ((InetSocketAddress) getListenAddress()).getPort();
  }

  @Override
  protected boolean metricsExpected() {
    return false; // no census here
  }
}
