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
   * One {@code Watch} call. A change is only a nudge: the watch reads the manager's status when it
   * can send (so a status set by one thread can never overtake a later one set by another, and the
   * last status sent is the one the manager has), and sends it only when the call is ready, so a
   * slow reader costs one pending nudge, not a queue; a status equal to the one last sent is not
   * sent again.
   */
  static final class Watch extends ServerCall.Listener<HealthCheckRequest> {
    private final HealthStatusManager manager;
    private final ServerCall<HealthCheckRequest, HealthCheckResponse> call;
    private volatile String service; // set by onMessage, before the first nudge
    private boolean pending; // guarded by this: a change not yet looked at
    private ServingStatus sent; // guarded by this
    private boolean ended; // guarded by this

    Watch(HealthStatusManager manager, ServerCall<HealthCheckRequest, HealthCheckResponse> call) {
      this.manager = manager;
      this.call = call;
    }

    @Override
    public void onMessage(HealthCheckRequest request) {
      service = request.getService();
      if (manager.watch(service, this)) {
        changed();
      } else {
        end(); // the server is shutting down
      }
    }

    @Override
    public void onReady() {
      synchronized (this) {
        if (pending) {
          changed();
        }
      }
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

    private ServingStatus current() {
      ServingStatus s = manager.status(service);
      return s == null ? ServingStatus.SERVICE_UNKNOWN : s;
    }

    /**
     * The status may have changed: send it now if the call is ready, else when it is. Sends under
     * this watch's monitor (so that sends are ordered); the call's own locks are taken after it,
     * and the engine's call never calls a listener while holding one, so no order inverts.
     */
    synchronized void changed() {
      if (ended) {
        return;
      }
      if (!call.isReady()) {
        pending = true;
        return;
      }
      pending = false;
      ServingStatus s = current();
      if (s != sent) {
        sent = s;
        call.sendMessage(response(s));
      }
    }

    /** Sends the status unless it was the last sent, ready or not, and ends the call with OK. */
    synchronized void end() {
      if (ended) {
        return;
      }
      ended = true;
      ServingStatus s = current();
      if (s != sent) {
        sent = s;
        call.sendMessage(response(s));
      }
      call.close(Status.OK, null);
    }
  }
}
