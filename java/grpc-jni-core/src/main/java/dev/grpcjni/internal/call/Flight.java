// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.Status;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One call's JDK Flight Recorder event, {@value #NAME}, while a recording has it enabled; a call
 * without one holds null and pays one check per call ({@link #enabled()}).
 *
 * <p>Besides what the call's {@link Trace} reports (messages, sizes, status), it times the call's
 * callbacks: every task the engine queues for the call's executor is wrapped ({@link #timed}), so
 * that the time it waited for a thread (hand-off) and the time it ran (the application's code) add
 * up; the rest of the call's duration was spent in the C core, the network and the peer. The engine
 * {@link #release releases} the event once it will queue nothing more for the call; it is committed
 * when that is so and the last queued task has returned, so the duration ends when the
 * application's last callback (onClose, onComplete, onCancel) did.
 *
 * <p>Thread-safe: a few locked updates per call, only while recording.
 */
final class Flight {
  static final String NAME = "dev.grpcjni.Call";

  @Name(NAME)
  @Label("gRPC Call")
  @Category("gRPC")
  @Description(
      "A gRPC call of this process, client or server side, from its start (a server's: its"
          + " arrival) to the return of its last callback, split into time in the C core, in the"
          + " executor hand-off and in the application's callbacks")
  @Enabled(false)
  @StackTrace(false)
  static final class CallEvent extends Event {
    @Label("Side")
    @Description("client or server")
    String side;

    @Label("Method")
    @Description("The full method name, package.Service/Method")
    String method;

    @Label("Target")
    @Description("The client channel's target; none on a server")
    String target;

    @Label("Peer")
    @Description("The other side's address as the C core names it, e.g. ipv4:127.0.0.1:50051")
    String peer;

    @Label("Status")
    String status;

    @Label("Status Description")
    String description;

    @Label("Messages Sent")
    long messagesSent;

    @Label("Messages Received")
    long messagesReceived;

    @Label("Bytes Sent")
    @Description("Serialized size of the messages sent, before compression")
    @DataAmount
    long bytesSent;

    @Label("Bytes Received")
    @Description("Size of the messages received, after decompression")
    @DataAmount
    long bytesReceived;

    @Label("Core Time")
    @Description(
        "Duration less the hand-off and application times: in the C core, the network and the"
            + " peer (and in the application's own threads, if it answers off its callbacks)")
    @Timespan
    long coreTime;

    @Label("Hand-off Time")
    @Description("Time the call's callbacks waited for an executor thread, from the poller")
    @Timespan
    long handoffTime;

    @Label("Application Time")
    @Description("Time in the call's callbacks: the application's listener or handler code")
    @Timespan
    long applicationTime;

    @Label("Callbacks")
    @Description("Callback tasks run on the call's executor")
    int callbacks;
  }

  /**
   * Whether this runtime has JFR and this module reads it ({@code requires static}: a jlink image
   * without {@code jdk.jfr} runs without the event). Decided without touching a {@code jdk.jfr}
   * class, which would not load there.
   */
  private static final boolean AVAILABLE =
      ModuleLayer.boot()
          .findModule("jdk.jfr")
          .map(jfr -> Flight.class.getModule().canRead(jfr))
          .orElse(false);

  /** Loaded only where JFR is available. */
  private static final class Probe {
    static final CallEvent EVENT = new CallEvent();
  }

  private final CallEvent event = new CallEvent();
  private long beganAt; // System.nanoTime() at begin()
  // ---- guarded by this
  private boolean begun;
  private boolean released;
  private boolean committed;
  private int outstanding; // tasks queued by timed() that have not returned
  private long lastEnded; // when the last timed task returned
  private long handoff;
  private long application;

  private Flight(String side, String method, String target) {
    event.side = side;
    event.method = method;
    event.target = target;
  }

  /** Whether a recording has the event enabled: one static check, for every call. */
  static boolean enabled() {
    return AVAILABLE && Probe.EVENT.isEnabled();
  }

  /** A client call's event, or null if no recording wants it. */
  static Flight client(String fullMethodName, String target) {
    return enabled() ? new Flight("client", fullMethodName, target) : null;
  }

  /** A server call's event, begun now (the call arrived), or null if no recording wants it. */
  static Flight server(String fullMethodName) {
    if (!enabled()) {
      return null;
    }
    Flight f = new Flight("server", fullMethodName, null);
    f.begin();
    return f;
  }

  /** The call starts now. */
  synchronized void begin() {
    if (!begun) {
      begun = true;
      event.begin();
      beganAt = System.nanoTime();
    }
  }

  /** The other side's address, as the native call says. */
  synchronized void peer(String peer) {
    if (event.peer == null || "unknown".equals(event.peer)) {
      event.peer = peer;
    }
  }

  synchronized void sent(long size) {
    event.messagesSent++;
    event.bytesSent += size;
  }

  synchronized void received(long size) {
    event.messagesReceived++;
    event.bytesReceived += size;
  }

  /** The status the call reports (the first one counts). */
  synchronized void closed(Status status) {
    if (event.status == null) {
      event.status = status.code().name();
      event.description = status.description();
    }
  }

  /** {@code task}, timed as one of the call's callbacks. */
  Runnable timed(Runnable task) {
    long queuedAt = System.nanoTime();
    synchronized (this) {
      outstanding++;
    }
    return () -> run(task, queuedAt);
  }

  private void run(Runnable task, long queuedAt) {
    long startedAt = System.nanoTime();
    try {
      task.run();
    } finally {
      long endedAt = System.nanoTime();
      synchronized (this) {
        // After the commit: a task the engine queued after the close (a late onReady) is not
        // counted.
        if (!committed) {
          // A task queued behind the call's previous callback waited for it, not for a thread.
          handoff += Math.max(0, startedAt - Math.max(queuedAt, lastEnded));
          application += endedAt - startedAt;
          lastEnded = endedAt;
          event.callbacks++;
          outstanding--;
          commitIfDone(endedAt);
        }
      }
    }
  }

  /** A task made by {@link #timed} will never run (its executor refused it). */
  synchronized void dropped() {
    if (!committed) {
      outstanding--;
      commitIfDone(System.nanoTime());
    }
  }

  /** The engine queues nothing more for the call: the event ends with its last callback. */
  synchronized void release() {
    released = true;
    commitIfDone(System.nanoTime());
  }

  /**
   * Commits the event once the engine released it and its last task returned. Under the lock, which
   * the event's fields are guarded by; the commit runs no application code.
   */
  private void commitIfDone(long endedAt) {
    if (committed || !released || outstanding != 0) {
      return;
    }
    committed = true;
    if (!begun) {
      return; // never started: nothing to show
    }
    CallEvent e = event;
    e.end();
    if (!e.shouldCommit()) {
      return; // under the recording's threshold
    }
    e.handoffTime = handoff;
    e.applicationTime = application;
    // The two sums never overlap (a call's callbacks run one at a time): what is left of the
    // duration was spent elsewhere. Clamped only against the two clocks' rounding.
    e.coreTime = Math.max(0, endedAt - beganAt - handoff - application);
    if (e.status == null) {
      e.status = Status.Code.UNKNOWN.name();
    }
    e.commit();
  }
}
