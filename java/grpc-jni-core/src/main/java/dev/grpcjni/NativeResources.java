// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import dev.grpcjni.internal.cq.CompletionQueue;
import dev.grpcjni.internal.ffi.GrpcJniLib;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * grpc-jni's native resources: the C objects it holds and its poller threads' work.
 *
 * <p>The same numbers are on JMX: when the first {@link Environment} starts, grpc-jni registers
 * {@link #get()} with the platform MBean server as {@value #OBJECT_NAME} (JConsole, JDK Mission
 * Control, and JMX exporters such as Prometheus's {@code jmx_exporter} show it), unless the system
 * property {@code grpcjni.jmx} is {@code false}. A count that only grows while the traffic is
 * steady is a leak: the counts fall back when the calls, channels and servers are closed.
 *
 * <p>A poller's CPU time includes the C core's own network work, which runs on the poller thread
 * inside {@code grpc_completion_queue_next}; its operations in flight are what its queue will still
 * complete. The C core 1.51 has no API to read a resource quota's usage, so none is shown.
 */
public final class NativeResources implements NativeResourcesMXBean {
  /** The JMX object name. */
  public static final String OBJECT_NAME = "dev.grpcjni:type=NativeResources";

  private static final NativeResources INSTANCE = new NativeResources();
  private static final System.Logger logger = System.getLogger(NativeResources.class.getName());
  private static boolean registered;

  private NativeResources() {}

  /** The process's native resources. */
  public static NativeResources get() {
    GrpcJni.ensureAvailability();
    return INSTANCE;
  }

  /** Registers the MBean once, if {@code grpcjni.jmx} is not {@code false}; failures are logged. */
  static synchronized void registerMBean() {
    if (registered || "false".equalsIgnoreCase(System.getProperty("grpcjni.jmx"))) {
      return;
    }
    registered = true;
    try {
      ManagementFactory.getPlatformMBeanServer()
          .registerMBean(INSTANCE, new ObjectName(OBJECT_NAME));
    } catch (InstanceAlreadyExistsException e) {
      // another copy of grpc-jni (another class loader) registered first: its numbers are ours
    } catch (JMException | RuntimeException | LinkageError e) {
      logger.log(Level.WARNING, "could not register " + OBJECT_NAME + " with JMX", e);
    }
  }

  private static long live(int kind) {
    return GrpcJniLib.grpcjni_live_count(kind);
  }

  @Override
  public long getCalls() {
    return live(GrpcJniLib.GRPCJNI_LIVE_CALLS);
  }

  @Override
  public long getChannels() {
    return live(GrpcJniLib.GRPCJNI_LIVE_CHANNELS);
  }

  @Override
  public long getServers() {
    return live(GrpcJniLib.GRPCJNI_LIVE_SERVERS);
  }

  @Override
  public long getCompletionQueues() {
    return live(GrpcJniLib.GRPCJNI_LIVE_COMPLETION_QUEUES);
  }

  @Override
  public long getByteBuffers() {
    return live(GrpcJniLib.GRPCJNI_LIVE_BYTE_BUFFERS);
  }

  @Override
  public long getBatchContexts() {
    return live(GrpcJniLib.GRPCJNI_LIVE_BATCH_CONTEXTS);
  }

  @Override
  public long getRequestContexts() {
    return live(GrpcJniLib.GRPCJNI_LIVE_REQUEST_CONTEXTS);
  }

  @Override
  public List<Poller> getPollers() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpu = threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
    List<Poller> out = new ArrayList<>();
    for (CompletionQueue q : CompletionQueue.live()) {
      Thread t = q.pollerThread();
      long cpuNanos = cpu ? threads.getThreadCpuTime(t.getId()) : -1;
      out.add(new PollerValues(t.getName(), q.eventsHandled(), q.pendingOps(), cpuNanos));
    }
    out.sort(Comparator.comparing(Poller::getName));
    return out;
  }

  @Override
  public String toString() {
    return "NativeResources{calls="
        + getCalls()
        + ", channels="
        + getChannels()
        + ", servers="
        + getServers()
        + ", completionQueues="
        + getCompletionQueues()
        + ", byteBuffers="
        + getByteBuffers()
        + ", batchContexts="
        + getBatchContexts()
        + ", requestContexts="
        + getRequestContexts()
        + "}";
  }

  /**
   * One poller thread and its completion queue, at the moment it was read. An interface of getters
   * only, so that JMX proxies ({@code JMX.newMXBeanProxy}) can rebuild it.
   */
  public interface Poller {
    /** The poller thread's name ({@code grpc-jni-<environment>-cq-<queue>}). */
    String getName();

    /** Completion-queue events it has handled since it started. */
    long getEvents();

    /** Operations posted to its queue and not yet completed. */
    long getOperationsInFlight();

    /** CPU time the thread has used, in nanoseconds; -1 where the JVM does not measure it. */
    long getCpuTimeNanos();
  }

  private record PollerValues(String name, long events, long operationsInFlight, long cpuTimeNanos)
      implements Poller {
    @Override
    public String getName() {
      return name;
    }

    @Override
    public long getEvents() {
      return events;
    }

    @Override
    public long getOperationsInFlight() {
      return operationsInFlight;
    }

    @Override
    public long getCpuTimeNanos() {
      return cpuTimeNanos;
    }

    @Override
    public String toString() {
      return name
          + "{events="
          + events
          + ", inFlight="
          + operationsInFlight
          + ", cpu="
          + cpuTimeNanos / 1_000_000
          + " ms}";
    }
  }
}
