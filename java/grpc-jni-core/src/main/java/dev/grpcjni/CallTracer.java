// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

/**
 * What both sides of a call report to a tracer: each message sent and received, with its sizes, and
 * the call's end. The base of {@link ClientCallTracer} and {@link ServerCallTracer}, as grpc-java's
 * {@code StreamTracer} is of its client and server stream tracers.
 *
 * <p>Each call that a channel or server with a tracer factory makes or serves gets its own tracer;
 * without one the call engine pays a null check per event and nothing else.
 *
 * <p>Threads: events come from the thread where the call engine learns of them: the caller's for
 * what is sent, the call's executor for what is delivered, and grpc-jni's poller threads for some
 * of the rest (a server call's arrival and end, a client call's response headers). So a tracer must
 * be quick and must never block. A call's events never run at the same time (they are reported
 * under a lock of the call's tracing), come in order within each direction, and none comes after
 * {@link #callClosed}: a tracer needs no locking of its own, but what it shares across calls must
 * be thread-safe. A tracer that throws is logged (logger {@code dev.grpcjni.CallTracer}, at WARNING
 * the first time) and the call goes on as if it had not.
 *
 * <p>Sizes: {@code uncompressedSize} is the serialized message; {@code wireSize} is its payload on
 * the wire (after compression, without the 5-byte gRPC frame header), or -1 where it is not known:
 * a message the C core may compress on the way out (compression configured for the call, its
 * channel or server), or one received compressed. Messages sent are counted when handed to the
 * call; messages received when delivered to the application.
 */
public abstract class CallTracer {
  /** A tracer whose events do nothing until overridden. */
  protected CallTracer() {}

  /**
   * A message was handed to the call.
   *
   * @param seqNo its number in its direction, from 0
   * @param wireSize its payload size on the wire, or -1 if the C core may compress it
   * @param uncompressedSize its serialized size
   */
  public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {}

  /**
   * A message was received and is about to be delivered to the application.
   *
   * @param seqNo its number in its direction, from 0
   * @param wireSize its payload size on the wire, or -1 if it came compressed
   * @param uncompressedSize its size after decompression
   */
  public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {}

  /**
   * The call is over, with {@code status}: on a client the status its listener's {@code onClose}
   * gets, on a server the one it sent, or CANCELLED if the call was cancelled. Called exactly once,
   * last.
   */
  public void callClosed(Status status) {}
}
