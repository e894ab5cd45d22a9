// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.helloworld;

import dev.grpcjni.StatusException;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import java.time.Duration;

/**
 * Calls Greeter once and prints the greeting.
 *
 * <p>Usage: {@code HelloWorldClient [--target=127.0.0.1:50051] [--name=World]}.
 */
public final class HelloWorldClient {
  private HelloWorldClient() {}

  public static void main(String[] args) {
    String target = "127.0.0.1:50051";
    String name = "World";
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
    try (ManagedChannel channel = ChannelBuilder.forTarget(target).build()) {
      GreeterGrpcJni.Stub greeter =
          GreeterGrpcJni.newStub(channel).withDeadlineAfter(Duration.ofSeconds(10));
      String greeting =
          greeter.sayHelloBlocking(HelloRequest.newBuilder().setName(name).build()).getMessage();
      System.out.println("Greeting: " + greeting);
    } catch (StatusException e) {
      System.err.println("RPC failed: " + e.status());
      System.exit(1);
    }
  }
}
