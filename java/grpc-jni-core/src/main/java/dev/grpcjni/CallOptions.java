// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Per-call settings: deadline, request metadata, compression, wait-for-ready, the executor that
 * completes the call's future, and the server call it is made for.
 *
 * <p>Immutable and thread-safe; every {@code with*} method returns a new instance.
 */
public final class CallOptions {
  /** No deadline, no metadata, fail fast, the channel's executor, no explicit parent. */
  public static final CallOptions DEFAULT =
      new CallOptions(null, null, false, null, null, null, null, List.of());

  private final Deadline deadline;
  private final Metadata headers;
  private final boolean waitForReady;
  private final Executor executor;

  private final String compression;
  private final ServerCallContext parent;
  private final CallCredentials credentials;
  private final List<ClientCallTracer.Factory> tracers;

  private CallOptions(
      Deadline deadline,
      Metadata headers,
      boolean waitForReady,
      Executor executor,
      String compression,
      ServerCallContext parent,
      CallCredentials credentials,
      List<ClientCallTracer.Factory> tracers) {
    this.tracers = tracers;
    this.deadline = deadline;
    this.headers = headers;
    this.waitForReady = waitForReady;
    this.executor = executor;
    this.compression = compression;
    this.parent = parent;
    this.credentials = credentials;
  }

  /** The call fails with DEADLINE_EXCEEDED if it has not finished by {@code deadline}. */
  public CallOptions withDeadline(Deadline deadline) {
    return new CallOptions(
        deadline, headers, waitForReady, executor, compression, parent, credentials, tracers);
  }

  /** A deadline {@code timeout} from the moment this method is called. */
  public CallOptions withDeadlineAfter(Duration timeout) {
    return withDeadline(Deadline.after(timeout));
  }

  /** Request metadata; copied, so later changes to {@code headers} do not apply. */
  public CallOptions withHeaders(Metadata headers) {
    return new CallOptions(
        deadline,
        new Metadata(headers),
        waitForReady,
        executor,
        compression,
        parent,
        credentials,
        tracers);
  }

  /**
   * Waits for the channel to connect instead of failing with UNAVAILABLE while it cannot (gRPC's
   * wait-for-ready semantics).
   */
  public CallOptions withWaitForReady() {
    return new CallOptions(
        deadline, headers, true, executor, compression, parent, credentials, tracers);
  }

  /**
   * Compresses this call's request messages with {@code compression} (a {@link
   * dev.grpcjni.Compression} name; {@code identity} turns a channel default off).
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public CallOptions withCompression(String compression) {
    dev.grpcjni.Compression.algorithm(compression);
    return new CallOptions(
        deadline, headers, waitForReady, executor, compression, parent, credentials, tracers);
  }

  /** Completes the call's future on {@code executor} instead of the channel's. */
  public CallOptions withExecutor(Executor executor) {
    return new CallOptions(
        deadline,
        headers,
        waitForReady,
        Objects.requireNonNull(executor),
        compression,
        parent,
        credentials,
        tracers);
  }

  /**
   * Completes the call's future on the poller thread that received the response. Fastest, but
   * dependent stages then run on that thread: they must not block.
   */
  public CallOptions withDirectExecutor() {
    return withExecutor(DIRECT);
  }

  /** Runs each task on the calling thread. */
  private static final Executor DIRECT = Runnable::run;

  /**
   * Makes the call a child of the server call {@code parent} is the context of: it inherits that
   * call's deadline (the earlier of the two counts) and is cancelled when that call ends, by the C
   * core (which propagates to the child call it made with the parent's). A call made while a server
   * call's {@link Context} is current is its child without this; this names the parent explicitly,
   * for a call made from another thread.
   */
  public CallOptions withParent(ServerCallContext parent) {
    return new CallOptions(
        deadline,
        headers,
        waitForReady,
        executor,
        compression,
        Objects.requireNonNull(parent, "parent"),
        credentials,
        tracers);
  }

  /**
   * Adds the request metadata {@code credentials} supply (a bearer token, say) to this call, in
   * place of the channel's {@link dev.grpcjni.client.ChannelBuilder#callCredentials default}. On a
   * plaintext channel the call fails with UNAUTHENTICATED unless the channel allows it ({@link
   * dev.grpcjni.client.ChannelBuilder#allowCallCredentialsOnPlaintext()}), as in grpc-java.
   */
  public CallOptions withCallCredentials(CallCredentials credentials) {
    return new CallOptions(
        deadline,
        headers,
        waitForReady,
        executor,
        compression,
        parent,
        Objects.requireNonNull(credentials, "credentials"),
        tracers);
  }

  /**
   * Traces this call with the tracer {@code factory} makes too, after the channel's ({@code
   * ChannelBuilder.addCallTracer}); see {@link ClientCallTracer}. Of several added, each traces the
   * call, in the order added.
   */
  public CallOptions withCallTracer(ClientCallTracer.Factory factory) {
    Objects.requireNonNull(factory, "factory");
    List<ClientCallTracer.Factory> more = new java.util.ArrayList<>(tracers);
    more.add(factory);
    return new CallOptions(
        deadline,
        headers,
        waitForReady,
        executor,
        compression,
        parent,
        credentials,
        List.copyOf(more));
  }

  /** The call's own tracer factories, in the order added; empty for none. */
  public List<ClientCallTracer.Factory> callTracers() {
    return tracers;
  }

  /** The call credentials, or null for the channel's default. */
  public CallCredentials callCredentials() {
    return credentials;
  }

  /** The explicit parent server call, or null (the current {@link Context} decides). */
  public ServerCallContext parent() {
    return parent;
  }

  /** The deadline, or null. */
  public Deadline deadline() {
    return deadline;
  }

  /** The request metadata, or null. */
  public Metadata headers() {
    return headers;
  }

  /** The request compression, or null for the channel's default. */
  public String compression() {
    return compression;
  }

  /** The headers a call starts with: {@link #headers()} plus the compression request. */
  Metadata headersForCall() {
    if (compression == null) {
      return headers;
    }
    Metadata h = headers == null ? new Metadata() : new Metadata(headers);
    return dev.grpcjni.Compression.request(h, compression);
  }

  public boolean isWaitForReady() {
    return waitForReady;
  }

  /** The executor, or null for the channel's. */
  public Executor executor() {
    return executor;
  }

  @Override
  public String toString() {
    return "CallOptions{deadline="
        + deadline
        + ", headers="
        + headers
        + ", waitForReady="
        + waitForReady
        + ", executor="
        + executor
        + (parent != null ? ", parent=" + parent : "")
        + "}";
  }
}
