// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.internal.wire.Json;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.testing.GrpcCleanup;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Channelz} on a real server and channel (127.0.0.1:0): the channel is listed with its
 * target, state and call counts, and leads to its subchannel and its socket; the server is listed
 * with its listen socket and calls and leads to the connection; unknown ids are empty; bad
 * arguments are refused; a channel built without channelz is not listed.
 */
class ChannelzIT {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  Server server;
  ManagedChannel channel;
  String target;

  @BeforeEach
  void start() throws Exception {
    server =
        grpc.register(
            ServerBuilder.forAddress("127.0.0.1:0")
                .addService(
                    ServiceDefinition.builder(CallTracerIT.SERVICE)
                        .unary(
                            CallTracerIT.UNARY,
                            (req, ctx) -> CompletableFuture.completedFuture(req))
                        .build())
                .build()
                .start());
    target = "127.0.0.1:" + server.port();
    channel = grpc.register(ChannelBuilder.forTarget(target).build());
    assertThat(InterceptorIT.call(channel, CallTracerIT.UNARY, "a")).isEqualTo("a");
    assertThat(InterceptorIT.call(channel, CallTracerIT.UNARY, "b")).isEqualTo("b");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String text) {
    return (Map<String, Object>) Json.parse(text);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? List.of() : (List<Map<String, Object>>) v;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String key) {
    return (Map<String, Object>) m.get(key);
  }

  /** All top channels, following the pages. */
  static List<Map<String, Object>> topChannels() {
    List<Map<String, Object>> all = new java.util.ArrayList<>();
    long start = 0;
    for (; ; ) {
      Map<String, Object> page = json(Channelz.topChannels(start));
      List<Map<String, Object>> channels = list(page, "channel");
      all.addAll(channels);
      if (Boolean.TRUE.equals(page.get("end")) || channels.isEmpty()) {
        return all;
      }
      start = id(channels.get(channels.size() - 1), "ref", "channelId") + 1;
    }
  }

  static long id(Map<String, Object> o, String ref, String key) {
    return Long.parseLong((String) map(o, ref).get(key));
  }

  private Map<String, Object> ourChannel() {
    return topChannels().stream()
        .filter(c -> target.equals(map(c, "data").get("target")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("channel to " + target + " not listed"));
  }

  @Test
  void theChannelLeadsToItsSubchannelAndSocket() {
    Map<String, Object> c = ourChannel();
    Map<String, Object> data = map(c, "data");
    assertThat(map(data, "state").get("state")).isEqualTo("READY");
    assertThat(data.get("callsStarted")).isEqualTo("2");
    assertThat(data.get("callsSucceeded")).isEqualTo("2");
    assertThat(data.get("callsFailed")).isNull(); // proto3 JSON leaves zero out

    long channelId = id(c, "ref", "channelId");
    Map<String, Object> again = map(json(Channelz.channel(channelId).orElseThrow()), "channel");
    assertThat(id(again, "ref", "channelId")).isEqualTo(channelId);
    List<Map<String, Object>> subchannels = list(again, "subchannelRef");
    assertThat(subchannels).hasSize(1);
    long subchannelId = Long.parseLong((String) subchannels.get(0).get("subchannelId"));

    Map<String, Object> sub =
        map(json(Channelz.subchannel(subchannelId).orElseThrow()), "subchannel");
    assertThat(map(map(sub, "data"), "state").get("state")).isEqualTo("READY");
    List<Map<String, Object>> sockets = list(sub, "socketRef");
    assertThat(sockets).hasSize(1);
    long socketId = Long.parseLong((String) sockets.get(0).get("socketId"));

    Map<String, Object> socket = map(json(Channelz.socket(socketId).orElseThrow()), "socket");
    // The C core writes the proto field names here (tcpip_address); proto3 JSON parsers take both.
    Map<String, Object> remote = map(map(socket, "remote"), "tcpip_address");
    assertThat(((Number) remote.get("port")).intValue()).isEqualTo(server.port());
    assertThat(remote.get("ip_address")).isEqualTo("fwAAAQ=="); // 127.0.0.1, base64
    // (a stream's success is counted as the transport finishes it, a moment after the call)
    assertThat(map(socket, "data").get("streamsStarted")).isEqualTo("2");
  }

  @Test
  void theServerLeadsToItsListenSocketAndConnection() {
    // Ours is the server with a connection to its port (the C core 1.51 names a listen socket by
    // the address asked for, port 0 here).
    List<Map<String, Object>> servers = list(json(Channelz.servers(0)), "server");
    Map<String, Object> ours = null;
    Map<String, Object> connection = null;
    for (Map<String, Object> s : servers) {
      long serverId = id(s, "ref", "serverId");
      Map<String, Object> page = json(Channelz.serverSockets(serverId, 0, 0).orElseThrow());
      for (Map<String, Object> ref : list(page, "socketRef")) {
        long socketId = Long.parseLong((String) ref.get("socketId"));
        Map<String, Object> socket = map(json(Channelz.socket(socketId).orElseThrow()), "socket");
        Map<String, Object> local = map(map(socket, "local"), "tcpip_address");
        if (((Number) local.get("port")).intValue() == server.port()) {
          ours = s;
          connection = socket;
          assertThat(page.get("end")).isEqualTo(true);
        }
      }
    }
    assertThat(ours).as("our server among %s", servers).isNotNull();
    assertThat(map(ours, "data").get("callsStarted")).isEqualTo("2");
    // A server counts a call's success as it finishes, a moment after the client saw the answer.
    assertThat(Long.parseLong((String) map(ours, "data").getOrDefault("callsSucceeded", "0")))
        .isBetween(1L, 2L);
    assertThat(list(ours, "listenSocket")).hasSize(1);
    assertThat(map(connection, "data").get("streamsStarted")).isEqualTo("2");
    long serverId = id(ours, "ref", "serverId");
    Map<String, Object> one = map(json(Channelz.server(serverId).orElseThrow()), "server");
    assertThat(id(one, "ref", "serverId")).isEqualTo(serverId);
    assertThat(list(json(Channelz.serverSockets(serverId, 0, 1).orElseThrow()), "socketRef"))
        .hasSize(1);
  }

  @Test
  void unknownIdsAreEmptyAndBadArgumentsRefused() {
    assertThat(Channelz.channel(Long.MAX_VALUE)).isEmpty();
    assertThat(Channelz.subchannel(Long.MAX_VALUE)).isEmpty();
    assertThat(Channelz.socket(Long.MAX_VALUE)).isEmpty();
    assertThat(Channelz.server(Long.MAX_VALUE)).isEmpty();
    assertThat(Channelz.serverSockets(Long.MAX_VALUE, 0, 0)).isEmpty();
    assertThat(Channelz.channel(-1)).isEmpty();
    // a channel's id is no server's
    long channelId = id(ourChannel(), "ref", "channelId");
    assertThat(Channelz.server(channelId)).isEmpty();
    assertThat(Channelz.subchannel(channelId)).isEmpty();
    assertThatThrownBy(() -> Channelz.topChannels(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Channelz.servers(-5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Channelz.serverSockets(1, -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Channelz.serverSockets(1, 0, -1))
        .isInstanceOf(IllegalArgumentException.class);
    // a start past every id: an empty last page
    Map<String, Object> past = json(Channelz.topChannels(Long.MAX_VALUE));
    assertThat(list(past, "channel")).isEmpty();
  }

  @Test
  void aChannelWithoutChannelzIsNotListed() throws Exception {
    ManagedChannel off =
        grpc.register(
            ChannelBuilder.forTarget("dns:///localhost:" + server.port())
                .channelArg("grpc.enable_channelz", 0)
                .build());
    assertThat(InterceptorIT.call(off, CallTracerIT.UNARY, "c")).isEqualTo("c");
    assertThat(topChannels())
        .noneMatch(c -> ("dns:///localhost:" + server.port()).equals(map(c, "data").get("target")));
    // ours is still there, and counted the calls of its own only
    assertThat(map(ourChannel(), "data").get("callsStarted")).isEqualTo("2");
  }
}
