// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.services.health;

import dev.grpcjni.server.Server;
import dev.grpcjni.server.ServiceDefinition;
import dev.grpcjni.services.health.v1.HealthCheckResponse.ServingStatus;
import java.lang.System.Logger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The serving status of a server and its services, served as the standard health service {@code
 * grpc.health.v1.Health} (as grpc-java's {@code HealthStatusManager}): add {@link
 * #getHealthService()} to the server and set each service's status as it changes.
 *
 * <pre>{@code
 * HealthStatusManager health = new HealthStatusManager();
 * Server server = ServerBuilder.forPort(8080)
 *     .addService(greeter.bindService())
 *     .addService(health.getHealthService())
 *     .build().start();
 * health.setStatus(GreeterGrpcJni.SERVICE_NAME, ServingStatus.SERVING);
 * }</pre>
 *
 * <p>{@code Check} answers a service's status, or NOT_FOUND for a service with none. {@code Watch}
 * sends the current status (SERVICE_UNKNOWN for a service with none) and then every change; a
 * watcher that reads slowly gets the latest status, not every one in between. The overall status,
 * service {@link #SERVICE_NAME_ALL_SERVICES ""}, starts SERVING.
 *
 * <p>When the server shuts down (the first of {@code shutdown()} and {@code shutdownNow()}), the
 * manager enters its {@link #enterTerminalState() terminal state}: every status turns NOT_SERVING,
 * each watcher is sent that and its call ends with OK (so that a graceful shutdown is not held open
 * by watches, and load balancers stop sending calls at once). Use one manager per server.
 *
 * <p>Thread-safe.
 */
public final class HealthStatusManager {
  private static final Logger logger = System.getLogger(HealthStatusManager.class.getName());

  /** The service name of the server's overall status. */
  public static final String SERVICE_NAME_ALL_SERVICES = "";

  private final Map<String, ServingStatus> statuses = new HashMap<>(); // guarded by this
  private final Map<String, Set<HealthService.Watch>> watchers = new HashMap<>(); // by this
  private boolean terminal; // guarded by this
  private boolean serverDown; // guarded by this: a server serving this began to shut down
  private final ServiceDefinition service = HealthService.definition(this);

  /** A manager whose overall status is SERVING and that knows no other service. */
  public HealthStatusManager() {
    statuses.put(SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
  }

  /**
   * The health service to add to a server. The same definition each time; it ends its watches when
   * a server serving it shuts down.
   */
  public ServiceDefinition getHealthService() {
    return service;
  }

  /**
   * Sets {@code service}'s status ({@link #SERVICE_NAME_ALL_SERVICES} for the server's) and tells
   * its watchers. Ignored, with a warning, in the terminal state.
   *
   * @throws IllegalArgumentException for {@code UNRECOGNIZED} or {@code SERVICE_UNKNOWN}, which are
   *     not statuses a service can have
   */
  public void setStatus(String service, ServingStatus status) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(status, "status");
    if (status == ServingStatus.UNRECOGNIZED || status == ServingStatus.SERVICE_UNKNOWN) {
      throw new IllegalArgumentException("not a status a service can have: " + status);
    }
    List<HealthService.Watch> tell;
    synchronized (this) {
      if (terminal) {
        logger.log(
            System.Logger.Level.WARNING,
            "health status of '" + service + "' not set to " + status + ": terminal");
        return;
      }
      if (statuses.put(service, status) == status) {
        return;
      }
      tell = watchersOf(service);
    }
    // Outside the lock: each watch reads the status again when it sends (see Watch).
    for (HealthService.Watch w : tell) {
      w.changed();
    }
  }

  /**
   * Sets the status of every service {@code server} serves (this health service included) and the
   * overall status to {@code status}: what a server that is ready as soon as it started reports.
   * The same rules as {@link #setStatus}.
   */
  public void setStatusOfAll(Server server, ServingStatus status) {
    for (ServiceDefinition s : server.services()) {
      setStatus(s.serviceName(), status);
    }
    setStatus(SERVICE_NAME_ALL_SERVICES, status);
  }

  /**
   * Forgets {@code service}'s status: {@code Check} answers NOT_FOUND for it and watchers get
   * SERVICE_UNKNOWN. Ignored, with a warning, in the terminal state.
   */
  public void clearStatus(String service) {
    Objects.requireNonNull(service, "service");
    List<HealthService.Watch> tell;
    synchronized (this) {
      if (terminal) {
        logger.log(
            System.Logger.Level.WARNING,
            "health status of '" + service + "' not cleared: terminal");
        return;
      }
      if (statuses.remove(service) == null) {
        return;
      }
      tell = watchersOf(service);
    }
    for (HealthService.Watch w : tell) {
      w.changed();
    }
  }

  /**
   * Sets every known status, the overall one included, to NOT_SERVING for good: later {@link
   * #setStatus} and {@link #clearStatus} calls are ignored. Watchers are told; their calls stay
   * open until the server shuts down. Idempotent.
   */
  public void enterTerminalState() {
    terminate(false);
  }

  /** The terminal state; with {@code endWatches}, every watch is also ended after being told. */
  void terminate(boolean endWatches) {
    List<HealthService.Watch> tell = new ArrayList<>();
    synchronized (this) {
      if (!terminal) {
        terminal = true;
        for (Map.Entry<String, ServingStatus> e : statuses.entrySet()) {
          e.setValue(ServingStatus.NOT_SERVING);
        }
      }
      for (String s : watchers.keySet()) {
        tell.addAll(watchersOf(s));
      }
      if (endWatches) {
        serverDown = true;
        watchers.clear();
      }
    }
    for (HealthService.Watch w : tell) {
      if (endWatches) {
        w.end();
      } else {
        w.changed();
      }
    }
  }

  /** {@code service}'s status, or null if it has none. */
  synchronized ServingStatus status(String service) {
    return statuses.get(service);
  }

  /**
   * Adds a watcher of {@code service}; false, adding nothing, once the server began to shut down.
   */
  synchronized boolean watch(String service, HealthService.Watch watch) {
    if (serverDown) {
      return false;
    }
    watchers.computeIfAbsent(service, k -> new LinkedHashSet<>()).add(watch);
    return true;
  }

  synchronized void unwatch(String service, HealthService.Watch watch) {
    Set<HealthService.Watch> set = watchers.get(service);
    if (set != null && set.remove(watch) && set.isEmpty()) {
      watchers.remove(service);
    }
  }

  /** The number of open watches, for tests. */
  synchronized int watchCount() {
    int n = 0;
    for (Set<HealthService.Watch> s : watchers.values()) {
      n += s.size();
    }
    return n;
  }

  private List<HealthService.Watch> watchersOf(String service) {
    Set<HealthService.Watch> set = watchers.get(service);
    return set == null ? List.of() : List.copyOf(set);
  }
}
