// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.services.channelz;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.grpcjni.Channelz;
import dev.grpcjni.ServerCallContext;
import dev.grpcjni.Status;
import dev.grpcjni.services.channelz.v1.ChannelzGrpcJni;
import dev.grpcjni.services.channelz.v1.GetChannelRequest;
import dev.grpcjni.services.channelz.v1.GetChannelResponse;
import dev.grpcjni.services.channelz.v1.GetServerRequest;
import dev.grpcjni.services.channelz.v1.GetServerResponse;
import dev.grpcjni.services.channelz.v1.GetServerSocketsRequest;
import dev.grpcjni.services.channelz.v1.GetServerSocketsResponse;
import dev.grpcjni.services.channelz.v1.GetServersRequest;
import dev.grpcjni.services.channelz.v1.GetServersResponse;
import dev.grpcjni.services.channelz.v1.GetSocketRequest;
import dev.grpcjni.services.channelz.v1.GetSocketResponse;
import dev.grpcjni.services.channelz.v1.GetSubchannelRequest;
import dev.grpcjni.services.channelz.v1.GetSubchannelResponse;
import dev.grpcjni.services.channelz.v1.GetTopChannelsRequest;
import dev.grpcjni.services.channelz.v1.GetTopChannelsResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The standard channelz service, {@code grpc.channelz.v1.Channelz} (gRFC A14), over the C core's
 * own channelz data ({@link Channelz}): every channel, subchannel, server and socket of this
 * process, as grpc-java's {@code io.grpc.protobuf.services.ChannelzService} serves them and tools
 * such as {@code grpcdebug} read them.
 *
 * <pre>{@code
 * Server server = ServerBuilder.forPort(8080)
 *     .addService(greeter.bindService())
 *     .addService(ChannelzService.newInstance(100).bindService())
 *     .build().start();
 * }</pre>
 *
 * <p>Lists are paged: a response holds at most the page size given here (or the request's {@code
 * max_results}, if smaller) and says {@code end = false} when more follow, from the last id + 1. An
 * id that names nothing (or something of another kind) is NOT_FOUND; a negative id or count is
 * INVALID_ARGUMENT. Channelz shows what the process is connected to: serve it only where its
 * callers may see that (as with reflection).
 */
public final class ChannelzService extends ChannelzGrpcJni.ImplBase {
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final int maxPageSize;

  private ChannelzService(int maxPageSize) {
    this.maxPageSize = maxPageSize;
  }

  /**
   * A channelz service whose list responses hold at most {@code maxPageSize} entries.
   *
   * @throws IllegalArgumentException if {@code maxPageSize} is not positive
   */
  public static ChannelzService newInstance(int maxPageSize) {
    if (maxPageSize <= 0) {
      throw new IllegalArgumentException("maxPageSize must be positive: " + maxPageSize);
    }
    return new ChannelzService(maxPageSize);
  }

  @Override
  public CompletableFuture<GetTopChannelsResponse> getTopChannels(
      GetTopChannelsRequest request, ServerCallContext context) {
    return answer(
        () -> {
          checkNonNegative(request.getStartChannelId(), "start_channel_id");
          int limit = limit(request.getMaxResults());
          GetTopChannelsResponse.Builder b = GetTopChannelsResponse.newBuilder();
          parse(Channelz.topChannels(request.getStartChannelId()), b);
          if (b.getChannelCount() > limit) {
            GetTopChannelsResponse.Builder page = GetTopChannelsResponse.newBuilder();
            page.addAllChannel(b.getChannelList().subList(0, limit)).setEnd(false);
            return page.build();
          }
          return b.build();
        });
  }

  @Override
  public CompletableFuture<GetServersResponse> getServers(
      GetServersRequest request, ServerCallContext context) {
    return answer(
        () -> {
          checkNonNegative(request.getStartServerId(), "start_server_id");
          int limit = limit(request.getMaxResults());
          GetServersResponse.Builder b = GetServersResponse.newBuilder();
          parse(Channelz.servers(request.getStartServerId()), b);
          if (b.getServerCount() > limit) {
            GetServersResponse.Builder page = GetServersResponse.newBuilder();
            page.addAllServer(b.getServerList().subList(0, limit)).setEnd(false);
            return page.build();
          }
          return b.build();
        });
  }

  @Override
  public CompletableFuture<GetServerResponse> getServer(
      GetServerRequest request, ServerCallContext context) {
    return lookup(
        "server", request.getServerId(), Channelz::server, GetServerResponse.newBuilder());
  }

  @Override
  public CompletableFuture<GetServerSocketsResponse> getServerSockets(
      GetServerSocketsRequest request, ServerCallContext context) {
    return answer(
        () -> {
          checkNonNegative(request.getServerId(), "server_id");
          checkNonNegative(request.getStartSocketId(), "start_socket_id");
          int limit = limit(request.getMaxResults());
          GetServerSocketsResponse.Builder b = GetServerSocketsResponse.newBuilder();
          Optional<String> json =
              Channelz.serverSockets(request.getServerId(), request.getStartSocketId(), limit);
          parse(found(json, "server", request.getServerId()), b);
          return b.build();
        });
  }

  @Override
  public CompletableFuture<GetChannelResponse> getChannel(
      GetChannelRequest request, ServerCallContext context) {
    return lookup(
        "channel", request.getChannelId(), Channelz::channel, GetChannelResponse.newBuilder());
  }

  @Override
  public CompletableFuture<GetSubchannelResponse> getSubchannel(
      GetSubchannelRequest request, ServerCallContext context) {
    return lookup(
        "subchannel",
        request.getSubchannelId(),
        Channelz::subchannel,
        GetSubchannelResponse.newBuilder());
  }

  @Override
  public CompletableFuture<GetSocketResponse> getSocket(
      GetSocketRequest request, ServerCallContext context) {
    return lookup(
        "socket", request.getSocketId(), Channelz::socket, GetSocketResponse.newBuilder());
  }

  /**
   * The response about the {@code kind} with {@code id}, rendered by {@code query} into {@code
   * response}: INVALID_ARGUMENT for a negative id, NOT_FOUND where there is none.
   */
  private static <T extends Message> CompletableFuture<T> lookup(
      String kind, long id, LongFunction<Optional<String>> query, Message.Builder response) {
    return answer(
        () -> {
          checkNonNegative(id, kind + "_id");
          parse(found(query.apply(id), kind, id), response);
          @SuppressWarnings("unchecked") // the builder of T, as each caller passes it
          T built = (T) response.build();
          return built;
        });
  }

  /** The page size for a request asking for {@code maxResults} (0: no preference). */
  private int limit(long maxResults) {
    checkNonNegative(maxResults, "max_results");
    return maxResults == 0 ? maxPageSize : (int) Math.min(maxResults, maxPageSize);
  }

  private static void checkNonNegative(long value, String field) {
    if (value < 0) {
      throw Status.INVALID_ARGUMENT
          .withDescription(field + " must not be negative: " + value)
          .asException();
    }
  }

  private static String found(Optional<String> json, String kind, long id) {
    return json.orElseThrow(
        () -> Status.NOT_FOUND.withDescription("No " + kind + " with id " + id).asException());
  }

  private static void parse(String json, Message.Builder into) {
    try {
      PARSER.merge(json, into);
    } catch (InvalidProtocolBufferException e) {
      throw Status.INTERNAL
          .withDescription("the C core's channelz JSON did not parse: " + e.getMessage())
          .withCause(e)
          .asException();
    }
  }

  /** The response {@code make} makes, or the status it throws (any other failure is INTERNAL). */
  private static <T> CompletableFuture<T> answer(Supplier<T> make) {
    try {
      return CompletableFuture.completedFuture(make.get());
    } catch (RuntimeException e) {
      Status s = Status.fromThrowable(e);
      return CompletableFuture.failedFuture(
          s.code() == Status.Code.UNKNOWN
              ? Status.INTERNAL.withDescription(String.valueOf(e)).withCause(e).asException()
              : s.asException());
    }
  }
}
