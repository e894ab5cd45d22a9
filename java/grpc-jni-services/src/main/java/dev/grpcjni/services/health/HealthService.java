// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.services.health;

import dev.grpcjni.ServerCall;
import dev.grpcjni.Status;
import dev.grpcjni.protobuf.ProtoServiceSchema;
import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServerListener;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.services.health.v1.HealthCheckRequest;
import dev.grpcjni.services.health.v1.HealthCheckResponse;
import dev.grpcjni.services.health.v1.HealthCheckResponse.ServingStatus;
import dev.grpcjni.services.health.v1.HealthGrpcJni;
import dev.grpcjni.services.health.v1.HealthProto;
import java.util.concurrent.CompletableFuture;

/** {@code grpc.health.v1.Health} on a {@link HealthStatusManager}. */
final class HealthService {
  private HealthService() {}

  static ServiceDefinition definition(HealthStatusManager manager) {
    return ServiceDefinition.builder(HealthGrpcJni.SERVICE_NAME)
        .unary(HealthGrpcJni.CHECK, (request, context) -> check(manager, request))
        .method(HealthGrpcJni.WATCH, call -> new Watch(manager, call))
        .schemaDescriptor(ProtoServiceSchema.of(HealthProto.getDescriptor(), "Health"))
        .serverListener(
            new ServerListener() {
              @Override
              public void serverShuttingDown(Server server) {
                manager.terminate(true);
              }

              @Override
              public String toString() {
                return "HealthStatusManager";
              }
            })
        .build();
  }

  private static CompletableFuture<HealthCheckResponse> check(
      HealthStatusManager manager, HealthCheckRequest request) {
    ServingStatus status = manager.status(request.getService());
    if (status == null) {
      return CompletableFuture.failedFuture(
          Status.NOT_FOUND
              .withDescription("unknown service " + request.getService())
              .asException());
    }
    return CompletableFuture.completedFuture(response(status));
  }

  private static HealthCheckResponse response(ServingStatus status) {
    return HealthCheckResponse.newBuilder().setStatus(status).build();
  }

  /**
   * One {@code Watch} call. Sends a status only when the call is ready for it, so a slow reader
   * holds one pending status (the latest) instead of a queue; a status equal to the one last sent
   * is not sent again.
   */
  static final class Watch extends ServerCall.Listener<HealthCheckRequest> {
    private final HealthStatusManager manager;
    private final ServerCall<HealthCheckRequest, HealthCheckResponse> call;
    private String service; // set by onMessage
    private ServingStatus pending; // guarded by this: to send when ready
    private ServingStatus sent; // guarded by this
    private boolean ended; // guarded by this

    Watch(HealthStatusManager manager, ServerCall<HealthCheckRequest, HealthCheckResponse> call) {
      this.manager = manager;
      this.call = call;
    }

    @Override
    public void onMessage(HealthCheckRequest request) {
      service = request.getService();
      ServingStatus now = manager.watch(service, this);
      if (now == null) {
        ServingStatus last = manager.status(service);
        end(last == null ? ServingStatus.SERVICE_UNKNOWN : last);
      } else {
        offer(now);
      }
    }

    @Override
    public void onReady() {
      offer(null);
    }

    @Override
    public void onCancel() {
      synchronized (this) {
        ended = true;
      }
      if (service != null) {
        manager.unwatch(service, this);
      }
    }

    /** Sends {@code status} (null: what is pending) now if the call is ready, else when it is. */
    synchronized void offer(ServingStatus status) {
      if (status != null) {
        pending = status;
      }
      if (ended || pending == null || !call.isReady()) {
        return;
      }
      ServingStatus s = pending;
      pending = null;
      if (s != sent) {
        sent = s;
        call.sendMessage(response(s));
      }
    }

    /** Sends {@code last} unless it was the last sent, ready or not, and ends the call with OK. */
    synchronized void end(ServingStatus last) {
      if (ended) {
        return;
      }
      ended = true;
      if (last != sent) {
        sent = last;
        call.sendMessage(response(last));
      }
      call.close(Status.OK, null);
    }
  }
}
