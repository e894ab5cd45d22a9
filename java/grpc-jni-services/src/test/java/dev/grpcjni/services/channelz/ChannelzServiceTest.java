// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.services.channelz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcjni.Status;
import dev.grpcjni.StatusException;
import dev.grpcjni.client.ChannelBuilder;
import dev.grpcjni.client.ManagedChannel;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerBuilder;
import dev.grpcjni.services.NativeLeaks;
import dev.grpcjni.services.channelz.v1.Channel;
import dev.grpcjni.services.channelz.v1.ChannelConnectivityState;
import dev.grpcjni.services.channelz.v1.ChannelzGrpcJni;
import dev.grpcjni.services.channelz.v1.GetChannelRequest;
import dev.grpcjni.services.channelz.v1.GetServerRequest;
import dev.grpcjni.services.channelz.v1.GetServerSocketsRequest;
import dev.grpcjni.services.channelz.v1.GetServerSocketsResponse;
import dev.grpcjni.services.channelz.v1.GetServersRequest;
import dev.grpcjni.services.channelz.v1.GetSocketRequest;
import dev.grpcjni.services.channelz.v1.GetSubchannelRequest;
import dev.grpcjni.services.channelz.v1.GetTopChannelsRequest;
import dev.grpcjni.services.channelz.v1.GetTopChannelsResponse;
import dev.grpcjni.services.channelz.v1.Socket;
import dev.grpcjni.services.channelz.v1.Subchannel;
import io.grpc.channelz.v1.ChannelzGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The channelz service on a real server (127.0.0.1:0), asked by grpc-jni's generated stub and by
 * grpc-java's ({@code io.grpc:grpc-services}, on Netty): the server finds its own channel to itself
 * and walks it to its subchannel and socket, finds itself and its connection, pages through top
 * channels, and answers NOT_FOUND and INVALID_ARGUMENT where it should.
 */
class ChannelzServiceTest {
  Server server;
  ManagedChannel channel;
  String target;
  ChannelzGrpcJni.Stub stub;
  final List<ManagedChannel> extra = new ArrayList<>();
  final NativeLeaks leaks = new NativeLeaks();

  @BeforeEach
  void start() throws Exception {
    server =
        ServerBuilder.forAddress("127.0.0.1:0")
            .addService(ChannelzService.newInstance(2).bindService())
            .build()
            .start();
    target = "127.0.0.1:" + server.port();
    channel = ChannelBuilder.forTarget(target).build();
    stub = ChannelzGrpcJni.newStub(channel).withDeadlineAfter(Duration.ofSeconds(10));
    // The first call connects: from then on the channel is READY with a subchannel and a socket.
    stub.getServersBlocking(GetServersRequest.getDefaultInstance());
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel c : extra) {
      c.close();
    }
    channel.close();
    server.close();
    leaks.assertNoneLeft();
  }

  /** Every top channel, following the pages. */
  private List<Channel> allTopChannels() {
    List<Channel> all = new ArrayList<>();
    long start = 0;
    for (int pages = 0; pages < 1000; pages++) {
      GetTopChannelsResponse page =
          stub.getTopChannelsBlocking(
              GetTopChannelsRequest.newBuilder().setStartChannelId(start).build());
      assertThat(page.getChannelCount()).as("the page size").isLessThanOrEqualTo(2);
      all.addAll(page.getChannelList());
      if (page.getEnd()) {
        return all;
      }
      start = page.getChannel(page.getChannelCount() - 1).getRef().getChannelId() + 1;
    }
    throw new AssertionError("no end");
  }

  private Channel ourChannel() {
    return allTopChannels().stream()
        .filter(c -> c.getData().getTarget().equals(target))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no channel to " + target));
  }

  @Test
  void aChannelWalksToItsSubchannelAndSocket() {
    Channel c = ourChannel();
    assertThat(c.getData().getState().getState()).isEqualTo(ChannelConnectivityState.State.READY);
    assertThat(c.getData().getCallsStarted()).isGreaterThanOrEqualTo(2); // and this one's lookups
    assertThat(c.getData().getTrace().getEventsList()).isNotEmpty();

    Channel again =
        stub.getChannelBlocking(
                GetChannelRequest.newBuilder().setChannelId(c.getRef().getChannelId()).build())
            .getChannel();
    assertThat(again.getRef()).isEqualTo(c.getRef());
    assertThat(again.getSubchannelRefCount()).isEqualTo(1);

    Subchannel sub =
        stub.getSubchannelBlocking(
                GetSubchannelRequest.newBuilder()
                    .setSubchannelId(again.getSubchannelRef(0).getSubchannelId())
                    .build())
            .getSubchannel();
    assertThat(sub.getData().getState().getState()).isEqualTo(ChannelConnectivityState.State.READY);
    assertThat(sub.getSocketRefCount()).isEqualTo(1);

    Socket socket =
        stub.getSocketBlocking(
                GetSocketRequest.newBuilder()
                    .setSocketId(sub.getSocketRef(0).getSocketId())
                    .build())
            .getSocket();
    assertThat(socket.getRemote().getTcpipAddress().getPort()).isEqualTo(server.port());
    assertThat(socket.getRemote().getTcpipAddress().getIpAddress().toByteArray())
        .containsExactly(127, 0, 0, 1);
    assertThat(socket.getData().getStreamsStarted()).isGreaterThanOrEqualTo(2);
    assertThat(socket.getData().hasLastMessageSentTimestamp()).isTrue();
  }

  @Test
  void theServerFindsItselfAndItsConnection() {
    // Ours is the server with a connection to its port (its listen socket is named by the address
    // it was asked for: port 0).
    Set<Long> seen = new HashSet<>();
    GetServerSocketsResponse ours = null;
    long ourId = -1;
    long start = 0;
    for (boolean end = false; !end; ) {
      var page =
          stub.getServersBlocking(GetServersRequest.newBuilder().setStartServerId(start).build());
      for (var s : page.getServerList()) {
        assertThat(seen.add(s.getRef().getServerId())).as("listed once").isTrue();
        GetServerSocketsResponse sockets =
            stub.getServerSocketsBlocking(
                GetServerSocketsRequest.newBuilder().setServerId(s.getRef().getServerId()).build());
        for (var ref : sockets.getSocketRefList()) {
          Socket socket =
              stub.getSocketBlocking(
                      GetSocketRequest.newBuilder().setSocketId(ref.getSocketId()).build())
                  .getSocket();
          if (socket.getLocal().getTcpipAddress().getPort() == server.port()) {
            ours = sockets;
            ourId = s.getRef().getServerId();
            assertThat(s.getListenSocketCount()).isEqualTo(1);
            assertThat(s.getData().getCallsStarted()).isGreaterThanOrEqualTo(1);
          }
        }
      }
      end = page.getEnd();
      if (!end) {
        start = page.getServer(page.getServerCount() - 1).getRef().getServerId() + 1;
      }
    }
    assertThat(ours).as("our server among %s", seen).isNotNull();
    assertThat(ours.getSocketRefCount()).isEqualTo(1);
    assertThat(ours.getEnd()).isTrue();
    long id = ourId;
    assertThat(
            stub.getServerBlocking(GetServerRequest.newBuilder().setServerId(id).build())
                .getServer()
                .getRef()
                .getServerId())
        .isEqualTo(id);
  }

  @Test
  void topChannelsArePagedByThePageSize() {
    Set<String> targets = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      String t = "dns:///never-resolved-" + i + ".invalid:1";
      extra.add(ChannelBuilder.forTarget(t).build());
      targets.add(t);
    }
    targets.add(target);
    List<Channel> all = allTopChannels(); // asserts every page has at most 2
    assertThat(all.size()).isGreaterThanOrEqualTo(4);
    Set<String> listed = new HashSet<>();
    Set<Long> ids = new HashSet<>();
    for (Channel c : all) {
      listed.add(c.getData().getTarget());
      assertThat(ids.add(c.getRef().getChannelId())).as("no channel on two pages").isTrue();
    }
    assertThat(listed).containsAll(targets);
    GetTopChannelsResponse one =
        stub.getTopChannelsBlocking(GetTopChannelsRequest.newBuilder().setMaxResults(1).build());
    assertThat(one.getChannelCount()).isEqualTo(1);
    assertThat(one.getEnd()).isFalse();
  }

  @Test
  void unknownIdsAreNotFoundAndNegativeOnesInvalid() {
    assertThat(
            code(
                () ->
                    stub.getChannelBlocking(
                        GetChannelRequest.newBuilder().setChannelId(Long.MAX_VALUE).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            code(
                () ->
                    stub.getSubchannelBlocking(
                        GetSubchannelRequest.newBuilder().setSubchannelId(Long.MAX_VALUE).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            code(
                () ->
                    stub.getSocketBlocking(
                        GetSocketRequest.newBuilder().setSocketId(Long.MAX_VALUE).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            code(
                () ->
                    stub.getServerBlocking(
                        GetServerRequest.newBuilder().setServerId(Long.MAX_VALUE).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            code(
                () ->
                    stub.getServerSocketsBlocking(
                        GetServerSocketsRequest.newBuilder().setServerId(Long.MAX_VALUE).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    // a channel's id is no server's
    long channelId = ourChannel().getRef().getChannelId();
    assertThat(
            code(
                () ->
                    stub.getServerBlocking(
                        GetServerRequest.newBuilder().setServerId(channelId).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            code(
                () ->
                    stub.getTopChannelsBlocking(
                        GetTopChannelsRequest.newBuilder().setStartChannelId(-1).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    stub.getServersBlocking(
                        GetServersRequest.newBuilder().setMaxResults(-1).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    stub.getChannelBlocking(
                        GetChannelRequest.newBuilder().setChannelId(-1).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThatThrownBy(() -> ChannelzService.newInstance(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Status.Code code(Runnable call) {
    StatusException e = catchThrowableOfType(StatusException.class, call::run);
    assertThat(e).as("the call fails").isNotNull();
    return e.status().code();
  }

  @Test
  void grpcJavaChannelzStubsReadIt() throws Exception {
    io.grpc.ManagedChannel netty =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      ChannelzGrpc.ChannelzBlockingStub java =
          ChannelzGrpc.newBlockingStub(netty).withDeadlineAfter(10, TimeUnit.SECONDS);
      long channelId = ourChannel().getRef().getChannelId();
      io.grpc.channelz.v1.Channel c =
          java.getChannel(
                  io.grpc.channelz.v1.GetChannelRequest.newBuilder()
                      .setChannelId(channelId)
                      .build())
              .getChannel();
      assertThat(c.getData().getTarget()).isEqualTo(target);
      assertThat(c.getData().getState().getState())
          .isEqualTo(io.grpc.channelz.v1.ChannelConnectivityState.State.READY);
      io.grpc.channelz.v1.GetServersResponse servers =
          java.getServers(io.grpc.channelz.v1.GetServersRequest.getDefaultInstance());
      assertThat(servers.getServerCount()).isBetween(1, 2);
      io.grpc.StatusRuntimeException missing =
          catchThrowableOfType(
              io.grpc.StatusRuntimeException.class,
              () ->
                  java.getSocket(
                      io.grpc.channelz.v1.GetSocketRequest.newBuilder()
                          .setSocketId(Long.MAX_VALUE)
                          .build()));
      assertThat(missing.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
    } finally {
      netty.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
