// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import dev.grpcjni.internal.cq.CoreLog;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import dev.grpcjni.internal.wire.NativeBuffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The C core's channelz data (gRFC A14): every channel, subchannel, server and socket of this
 * process with its state, call counts, connection and stream statistics and trace events, as the C
 * core keeps them.
 *
 * <p>Each method returns the C core's JSON rendering of the matching {@code grpc.channelz.v1}
 * response message ({@code /usr/share/grpc-proto/grpc/channelz/v1/channelz.proto}) in the proto3
 * JSON mapping, e.g. {@code {"channel":[{"ref":{"channelId":"1"},"data":{"state":{"state":
 * "READY"},"target":"127.0.0.1:50051","callsStarted":"3",…}}],"end":true}}: parse it with
 * protobuf's {@code JsonFormat} into those messages, or serve it to channelz tools with {@code
 * dev.grpcjni.services.channelz.ChannelzService} ({@code grpc-jni-services}). Ids are the C core's;
 * a page of a list ends at {@code "end": true}, otherwise ask again from the last id + 1.
 *
 * <p>Channelz is on in the C core by default; a channel or server built with the channel argument
 * {@code grpc.enable_channelz} = 0 is not tracked. Calls are cheap (no network) but take the core's
 * registry lock: for diagnostics, not per request. Thread-safe.
 */
public final class Channelz {
  private Channelz() {}

  /** {@code GetTopChannelsResponse}: the channels the application made, from {@code startId}. */
  public static String topChannels(long startId) {
    return list(GrpcJniLib.GRPCJNI_CHANNELZ_TOP_CHANNELS, startId);
  }

  /** {@code GetServersResponse}: the servers of this process, from {@code startId}. */
  public static String servers(long startId) {
    return list(GrpcJniLib.GRPCJNI_CHANNELZ_SERVERS, startId);
  }

  /** {@code GetServerResponse} of server {@code id}, or empty if there is none. */
  public static Optional<String> server(long id) {
    return query(GrpcJniLib.GRPCJNI_CHANNELZ_SERVER, id, 0, 0);
  }

  /**
   * {@code GetServerSocketsResponse}: the connections of server {@code serverId}, from {@code
   * startSocketId}, at most {@code maxResults} (0: the C core's page size); empty if there is no
   * such server.
   */
  public static Optional<String> serverSockets(long serverId, long startSocketId, long maxResults) {
    requireNonNegative(startSocketId, "startSocketId");
    requireNonNegative(maxResults, "maxResults");
    return query(GrpcJniLib.GRPCJNI_CHANNELZ_SERVER_SOCKETS, serverId, startSocketId, maxResults);
  }

  /** {@code GetChannelResponse} of channel {@code id}, or empty if there is none. */
  public static Optional<String> channel(long id) {
    return query(GrpcJniLib.GRPCJNI_CHANNELZ_CHANNEL, id, 0, 0);
  }

  /** {@code GetSubchannelResponse} of subchannel {@code id}, or empty if there is none. */
  public static Optional<String> subchannel(long id) {
    return query(GrpcJniLib.GRPCJNI_CHANNELZ_SUBCHANNEL, id, 0, 0);
  }

  /** {@code GetSocketResponse} of socket {@code id}, or empty if there is none. */
  public static Optional<String> socket(long id) {
    return query(GrpcJniLib.GRPCJNI_CHANNELZ_SOCKET, id, 0, 0);
  }

  private static String list(int kind, long startId) {
    requireNonNegative(startId, "startId");
    return query(kind, 0, startId, 0)
        .orElseThrow(() -> new IllegalStateException("the C core rendered no channelz list"));
  }

  private static void requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
  }

  private static Optional<String> query(int kind, long id, long startId, long maxResults) {
    GrpcJni.ensureAvailability();
    if (id < 0) {
      return Optional.empty(); // ids are positive: nothing has it
    }
    CoreLog.install(); // the core may start here: its lines go to the logger too
    long json = GrpcJniLib.grpcjni_channelz_query(kind, id, startId, maxResults);
    if (json == 0) {
      return Optional.empty();
    }
    NativeBuffer buf = NativeBuffer.acquire(0);
    try {
      ByteBuffer b = buf.fill(GrpcJniLib::grpcjni_string_copy, json);
      if (b == null) {
        return Optional.empty();
      }
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    } finally {
      buf.release();
      GrpcJniLib.grpcjni_string_free(json);
    }
  }
}
