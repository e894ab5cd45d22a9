// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.examples.kvstore;

import dev.grpcjni.CallOptions;
import dev.grpcjni.Channel;
import dev.grpcjni.ClientCall;
import dev.grpcjni.Metadata;
import dev.grpcjni.ServerCall;
import dev.grpcjni.ServerCallHandler;
import dev.grpcjni.Status;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forwarding proxy in the manner of TiKV's {@code forward_unary!}: it registers no service, and
 * its {@linkplain ServerBuilder#fallbackHandler fallback handler} relays every call, of any method
 * and kind, as raw bytes to the backend the {@value #FORWARDED_HOST} header names (the first
 * backend without the header). Headers, messages, the status and trailers pass both ways; each side
 * reads a message only once the other side took the previous one, so a slow peer slows its sender
 * instead of filling the proxy. The outbound call is made in the inbound call's context, so it
 * inherits its deadline and is cancelled with it.
 *
 * <p>Usage: {@code KvStoreProxy --address=127.0.0.1:50060 --backend=127.0.0.1:50053
 * --backend=127.0.0.1:50054}.
 */
public final class KvStoreProxy {
  /** Request header naming the backend ({@code host:port}, one of those configured). */
  public static final String FORWARDED_HOST = "kvstore-forwarded-host";

  private KvStoreProxy() {}

  /**
   * The fallback handler that forwards to {@code backends}: a backend's {@code host:port} to the
   * channel that reaches it, the first one the default. A header naming another host is answered
   * INVALID_ARGUMENT: the proxy reaches only what it was configured with.
   */
  public static ServerCallHandler<byte[], byte[]> forwarding(
      Map<String, ? extends Channel> backends) {
    if (backends.isEmpty()) {
      throw new IllegalArgumentException("no backends");
    }
    Map<String, Channel> routes = new LinkedHashMap<>(backends);
    Channel first = routes.values().iterator().next();
    return call -> {
      Metadata inbound = call.context().requestHeaders();
      String host = inbound.get(FORWARDED_HOST);
      Channel backend = host == null ? first : routes.get(host);
      if (backend == null) {
        call.close(
            Status.INVALID_ARGUMENT.withDescription("unknown " + FORWARDED_HOST + ": " + host),
            null);
        return new ServerCall.Listener<>() {};
      }
      return new Relay(call, backend.newCall(call.method(), CallOptions.DEFAULT), inbound);
    };
  }

  /** Headers an application sets, without the routing header and what the transport owns. */
  static Metadata forwardable(Metadata in) {
    Metadata out = new Metadata();
    for (String key : in.keys()) {
      if (key.startsWith(":")
          || key.startsWith("grpc-")
          || key.equals(FORWARDED_HOST)
          || key.equals("user-agent")
          || key.equals("content-type")
          || key.equals("te")) {
        continue;
      }
      if (key.endsWith(Metadata.BINARY_SUFFIX)) {
        for (byte[] v : in.getAllBinary(key)) {
          out.putBinary(key, v);
        }
      } else {
        for (String v : in.getAll(key)) {
          out.put(key, v);
        }
      }
    }
    return out;
  }

  /** One relayed call: the inbound call's listener, with the outbound call's beside it. */
  private static final class Relay extends ServerCall.Listener<byte[]> {
    private final ServerCall<byte[], byte[]> inbound;
    private final ClientCall<byte[], byte[]> outbound;

    Relay(ServerCall<byte[], byte[]> inbound, ClientCall<byte[], byte[]> outbound, Metadata h) {
      this.inbound = inbound;
      this.outbound = outbound;
      outbound.start(new Backward(), forwardable(h));
      outbound.request(1);
      inbound.request(1);
    }

    @Override
    public void onMessage(byte[] message) {
      // The next request is read once the backend's side took this one.
      outbound.sendMessage(message).whenComplete((v, t) -> inbound.request(1));
    }

    @Override
    public void onHalfClose() {
      outbound.halfClose();
    }

    @Override
    public void onCancel() {
      outbound.cancel("the proxied call was cancelled", null);
    }

    /** The backend's side, relayed to the client. */
    private final class Backward extends ClientCall.Listener<byte[]> {
      @Override
      public void onHeaders(Metadata headers) {
        if (!inbound.isCancelled()) {
          inbound.sendHeaders(forwardable(headers));
        }
      }

      @Override
      public void onMessage(byte[] message) {
        inbound.sendMessage(message).whenComplete((v, t) -> outbound.request(1));
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        inbound.close(status, forwardable(trailers));
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String address = "127.0.0.1:50060";
    List<String> hosts = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("--address=")) {
        address = a.substring("--address=".length());
      } else if (a.startsWith("--backend=")) {
        hosts.add(a.substring("--backend=".length()));
      } else {
        throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    if (hosts.isEmpty()) {
      hosts.add("127.0.0.1:50053");
    }
    Map<String, ManagedChannel> backends = new LinkedHashMap<>();
    for (String h : hosts) {
      backends.put(h, ChannelBuilder.forTarget(h).build());
    }
    Server server = ServerBuilder.forAddress(address).fallbackHandler(forwarding(backends)).build();
    server.start();
    System.out.println(
        "KvStore proxy on "
            + address.substring(0, address.lastIndexOf(':'))
            + ":"
            + server.port()
            + " to "
            + hosts);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  backends.values().forEach(ManagedChannel::close);
                }));
    server.terminationFuture().join();
  }
}
