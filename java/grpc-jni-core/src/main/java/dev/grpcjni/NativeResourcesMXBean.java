// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.List;

/**
 * What grpc-jni holds in native memory and what its poller threads do, as a JMX MXBean, registered
 * as {@value NativeResources#OBJECT_NAME} (see {@link NativeResources}). Every count is of native
 * objects alive now, across the process.
 */
public interface NativeResourcesMXBean {
  /** Native calls (client and server) not yet released. */
  long getCalls();

  /** Native channels not yet destroyed. */
  long getChannels();

  /** Native servers not yet destroyed. */
  long getServers();

  /** Completion queues not yet destroyed (one per poller thread). */
  long getCompletionQueues();

  /** Message buffers made for sending and not yet sent or freed. */
  long getByteBuffers();

  /** Batches started and not yet completed (each one operation the C core will complete). */
  long getBatchContexts();

  /** Server request slots posted and not yet taken by a call. */
  long getRequestContexts();

  /** One entry per live poller thread. */
  List<NativeResources.Poller> getPollers();
}
