// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.grpcjava;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The application's calls over grpc-java's API, and the proof that grpc-jni's C core
 * carried them: grpc-java picked grpc-jni's channel and server (Netty is on the class path too), and the
 * server saw the C core's user agent ({@code grpc-c/…}), not Netty's ({@code grpc-java-netty/…}).
 */
public class HelloWorldTest {
  private final AtomicReference<String> userAgent = new AtomicReference<>();
  private HelloWorldServer server;
  private ManagedChannel channel;

  @Before
  public void start() throws Exception {
    ServerInterceptor recordUserAgent =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            userAgent.set(
                headers.get(Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER)));
            return next.startCall(call, headers);
          }
        };
    server = new HelloWorldServer(0, recordUserAgent).start();
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create())
            .build();
  }

  @After
  public void stop() throws Exception {
    channel.shutdownNow();
    assertTrue(channel.awaitTermination(5, TimeUnit.SECONDS));
    server.stop();
    assertTrue(server.server().isTerminated());
  }

  @Test
  public void theCCoreCarriesTheCalls() {
    assertEquals("Hello you", new HelloWorldClient(channel).greet("you"));

    String channelClass = channel.getClass().getName();
    assertTrue(channelClass, channelClass.startsWith("dev.grpcjni."));
    String serverClass = server.server().getClass().getName();
    assertTrue(serverClass, serverClass.startsWith("dev.grpcjni."));
    String agent = userAgent.get();
    assertNotNull(agent);
    assertTrue(agent, agent.contains("grpc-c/"));
    assertFalse(agent, agent.contains("netty"));
  }

  @Test
  public void serverStreaming() {
    assertEquals(
        List.of("Hello you", "Hello again you", "Hello again you"),
        new HelloWorldClient(channel).greetRepeatedly("you", 3));
    assertEquals(List.of(), new HelloWorldClient(channel).greetRepeatedly("you", 0));
  }

  @Test
  public void anEmptyNameIsInvalidArgument() {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> new HelloWorldClient(channel).greet(""));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("name is empty", e.getStatus().getDescription());
  }

  @Test
  public void anExpiredDeadlineFailsTheCall() {
    GreeterGrpc.GreeterBlockingStub stub =
        GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.NANOSECONDS);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> stub.sayHello(HelloRequest.newBuilder().setName("late").build()));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
  }

  @Test
  public void aStoppedServerIsUnavailable() throws Exception {
    HelloWorldClient client = new HelloWorldClient(channel);
    assertEquals("Hello before", client.greet("before"));
    server.stop();
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> client.greet("after"));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
  }
}
