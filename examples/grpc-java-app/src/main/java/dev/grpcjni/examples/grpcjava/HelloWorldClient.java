// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.grpcjava;

import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Calls the Greeter through grpc-java's generated blocking stub, on a channel from grpc-java's
 * {@code Grpc.newChannelBuilder}: the C core's when grpc-jni-grpcjava is on the class path.
 *
 * <pre>java -cp … dev.grpcjni.examples.grpcjava.HelloWorldClient [--target=127.0.0.1:50051]
 *     [--name=world]</pre>
 */
public final class HelloWorldClient {
  private final GreeterGrpc.GreeterBlockingStub stub;

  /** A client on {@code channel}; every call gets a 10 s deadline. */
  public HelloWorldClient(Channel channel) {
    this.stub = GreeterGrpc.newBlockingStub(channel);
  }

  /** One unary call: "Hello " + name. */
  public String greet(String name) {
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName(name).build())
        .getMessage();
  }

  /** One server-streaming call: {@code times} greetings. */
  public List<String> greetRepeatedly(String name, int times) {
    List<String> out = new ArrayList<>();
    Iterator<HelloReply> replies =
        stub.withDeadlineAfter(10, TimeUnit.SECONDS)
            .sayHelloStreamReply(HelloRequest.newBuilder().setName(name).setTimes(times).build());
    replies.forEachRemaining(reply -> out.add(reply.getMessage()));
    return out;
  }

  /** Greets once and three times, then exits. */
  public static void main(String[] args) throws Exception {
    String target = "127.0.0.1:50051";
    String name = "world";
    for (String arg : args) {
      if (arg.startsWith("--target=")) {
        target = arg.substring("--target=".length());
      } else if (arg.startsWith("--name=")) {
        name = arg.substring("--name=".length());
      } else {
        System.err.println("usage: HelloWorldClient [--target=HOST:PORT] [--name=NAME]");
        System.exit(2);
      }
    }
    ManagedChannel channel =
        Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
    try {
      HelloWorldClient client = new HelloWorldClient(channel);
      System.out.println(client.greet(name));
      client.greetRepeatedly(name, 3).forEach(System.out::println);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
