// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.internal.transport.NativeCall;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * The receive side of a call: messages read from the C core as the application asks for them.
 *
 * <pre>
 * Overview:
 *   Demand. `demand` counts messages asked for (request(n)) and not delivered. At most one
 *     RECV_MESSAGE is in flight, and only while demand exceeds what is already buffered, or while
 *     draining (a client reading what the core still holds after the status came). A message
 *     arriving without demand is buffered.
 *   Delivery. Each message is handed to the sink on the call's serialized callbacks, one at a
 *     time, in order.
 *   End. A receive without a message ends the input: the peer half-closed, or the stream failed;
 *     the sink hears onInputEnded. Once it ended and every buffered message was handed out, the
 *     sink hears onInputDrained, exactly once, with no lock held and after the last message was
 *     scheduled.
 *   Locking: `this` guards the state, and is held while a receive is started (which serializes
 *     the call's receive starts, as the C core requires). The sink is called outside it.
 * </pre>
 */
final class Inbound implements NativeCall.MessageDone {
  /** What the receive side reports to its call. */
  interface Sink {
    /** A message; on the callbacks executor. */
    void onMessageBytes(byte[] message, int compressed);

    /** The core said the input is over: nothing more will be read (some may be buffered). */
    void onInputEnded();

    /**
     * The input ended and every message read was scheduled for delivery; {@code failed}: by an
     * error, not a half-close. On no particular thread, holding no lock.
     */
    void onInputDrained(boolean failed);
  }

  private record Buffered(byte[] message, int compressed) {}

  private final NativeCall call;
  private final Executor callbacks;
  private final Sink sink;

  // ---- guarded by this
  private long demand;
  private ArrayDeque<Buffered> buffered; // made on first use
  private boolean started; // receives may be posted
  private boolean receiving; // a RECV_MESSAGE is in flight
  private boolean draining; // read even without demand
  private boolean ended; // no more receives: the core said the input is over
  private boolean failed; // ... by an error
  private boolean drainReported;

  Inbound(NativeCall call, Executor callbacks, Sink sink) {
    this.call = call;
    this.callbacks = callbacks;
    this.sink = sink;
  }

  /** Receives may be posted from now on (the call started). */
  void start() {
    boolean drained;
    synchronized (this) {
      started = true;
      pumpLocked();
      drained = takeDrainedLocked();
    }
    reportDrained(drained);
  }

  /**
   * Asks for {@code n} more messages.
   *
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  void request(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("numMessages must be positive: " + n);
    }
    boolean drained;
    synchronized (this) {
      demand = Math.min(Long.MAX_VALUE / 2, demand + n);
      deliverBufferedLocked();
      pumpLocked();
      drained = takeDrainedLocked();
    }
    reportDrained(drained);
  }

  /** Reads what the core still holds even without demand, buffering it (the status came). */
  void drain() {
    boolean drained;
    synchronized (this) {
      draining = true;
      pumpLocked();
      drained = takeDrainedLocked();
    }
    reportDrained(drained);
  }

  /** Drops messages not delivered yet, and the demand: after a failure they never will be. */
  synchronized void discard() {
    if (buffered != null) {
      buffered.clear();
    }
    demand = 0;
  }

  /** True once no more messages will be read from the core (some may still be buffered). */
  synchronized boolean isEnded() {
    return ended;
  }

  /** True once the input ended and every message was handed out. */
  synchronized boolean isDrained() {
    return ended && (buffered == null || buffered.isEmpty());
  }

  private void deliverBufferedLocked() {
    while (demand > 0 && buffered != null && !buffered.isEmpty()) {
      Buffered b = buffered.poll();
      demand--;
      deliver(b.message, b.compressed);
    }
  }

  private void deliver(byte[] message, int compressed) {
    callbacks.execute(() -> sink.onMessageBytes(message, compressed));
  }

  /** Posts a RECV_MESSAGE if wanted and none is in flight. Holds this. */
  private void pumpLocked() {
    if (!started || receiving || ended) {
      return;
    }
    int held = buffered == null ? 0 : buffered.size();
    if (demand <= held && !draining) {
      return;
    }
    if (call.recvMessage(this)) {
      receiving = true;
    } else {
      ended = true; // the call is over or its queue closed
      failed = true;
    }
  }

  /** True, once, when the sink is to hear the input drained. Holds this. */
  private boolean takeDrainedLocked() {
    if (drainReported || !ended || (buffered != null && !buffered.isEmpty())) {
      return false;
    }
    drainReported = true;
    return true;
  }

  private void reportDrained(boolean drained) {
    if (drained) {
      boolean f;
      synchronized (this) {
        f = failed;
      }
      sink.onInputDrained(f);
    }
  }

  // ---- completions (poller)

  @Override
  public void onMessage(byte[] message, int compressed) {
    boolean drained;
    synchronized (this) {
      receiving = false;
      if (demand > 0 && (buffered == null || buffered.isEmpty())) {
        demand--;
        deliver(message, compressed);
      } else {
        if (buffered == null) {
          buffered = new ArrayDeque<>(4);
        }
        buffered.add(new Buffered(message, compressed));
      }
      pumpLocked();
      drained = takeDrainedLocked();
    }
    reportDrained(drained);
  }

  @Override
  public void onMessagesEnd(boolean failed) {
    boolean drained;
    synchronized (this) {
      receiving = false;
      ended = true;
      this.failed = failed;
      drained = takeDrainedLocked();
    }
    sink.onInputEnded();
    reportDrained(drained);
  }
}
