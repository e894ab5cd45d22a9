// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package io.grpc.testing.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * grpc-java's own interop suite with grpc-java's Netty client against grpc-java's API on grpc-jni's
 * server (picked by grpc-java through the provider), over 127.0.0.1.
 */
@RunWith(JUnit4.class)
public class NettyClientOnGrpcJniServerIT extends GrpcJniInteropTest {
  @Override
  protected ServerBuilder<?> getServerBuilder() {
    return grpcJniServer();
  }

  @Override
  protected ManagedChannelBuilder<?> createChannelBuilder() {
    return NettyChannelBuilder.forAddress("127.0.0.1", port())
        .usePlaintext()
        .maxInboundMessageSize(AbstractInteropTest.MAX_MESSAGE_SIZE);
  }

  /**
   * grpc-java's test, but for the status text: at the deadline the C core's server ends the call
   * itself with DEADLINE_EXCEEDED "Deadline Exceeded", which may reach grpc-java's client before
   * its own timer says it in grpc-java's words (a C++ server does the same). The code is what
   * counts; the text may be either.
   */
  @Override
  @Test
  public void deadlineExceeded() throws Exception {
    blockingStub.emptyCall(EMPTY); // warm up the connection, as the original does
    TestServiceGrpc.TestServiceBlockingStub stub =
        blockingStub.withDeadlineAfter(1, TimeUnit.SECONDS);
    StreamingOutputCallRequest request =
        StreamingOutputCallRequest.newBuilder()
            .addResponseParameters(
                ResponseParameters.newBuilder().setIntervalUs((int) TimeUnit.SECONDS.toMicros(20)))
            .build();
    try {
      stub.streamingOutputCall(request).next();
      fail("Expected deadline to be exceeded");
    } catch (StatusRuntimeException ex) {
      assertEquals(Status.Code.DEADLINE_EXCEEDED, ex.getStatus().getCode());
      String d = String.valueOf(ex.getStatus().getDescription());
      assertTrue(
          d,
          d.equals("Deadline Exceeded")
              || Pattern.matches("CallOptions deadline exceeded after .*s. \\[.*\\]", d)
              || d.startsWith("ClientCall was cancelled at or after deadline."));
    }
  }
}
