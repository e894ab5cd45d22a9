// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.helloworld;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Smoke test: the example's service through its generated stub, and its mains in two JVMs. */
class HelloWorldIT {
  private static HelloRequest request(String name) {
    return HelloRequest.newBuilder().setName(name).build();
  }

  @Test
  void greets() throws Exception {
    try (Server server =
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(new GreeterImpl().bindService())
                .build()
                .start();
        ManagedChannel channel = ChannelBuilder.forTarget("127.0.0.1:" + server.port()).build()) {
      GreeterGrpcJni.Stub greeter = GreeterGrpcJni.newStub(channel);
      assertThat(greeter.sayHelloBlocking(request("grpc-jni")).getMessage())
          .isEqualTo("Hello grpc-jni");
      assertThat(greeter.sayHello(request("\u4e16\u754c")).get(10, TimeUnit.SECONDS).getMessage())
          .isEqualTo("Hello \u4e16\u754c");
    }
  }

  private static Process java(String main, String... args) throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String[] command = new String[5 + args.length];
    command[0] = java;
    command[1] = "--enable-native-access=ALL-UNNAMED";
    command[2] = "-cp";
    command[3] = System.getProperty("java.class.path");
    command[4] = main;
    System.arraycopy(args, 0, command, 5, args.length);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  @Test
  void mainsTalkAcrossProcesses() throws Exception {
    Process server = java(HelloWorldServer.class.getName(), "--address=127.0.0.1:0");
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("Server listening on "));
      assertThat(line).startsWith("Server listening on 127.0.0.1:");
      String target = line.substring("Server listening on ".length());
      Process client = java(HelloWorldClient.class.getName(), "--target=" + target, "--name=demo");
      assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String printed = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(client.exitValue()).as(printed).isZero();
      assertThat(printed.trim()).endsWith("Greeting: Hello demo");
    } finally {
      server.destroy(); // SIGTERM: the shutdown hook shuts the server down gracefully
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
