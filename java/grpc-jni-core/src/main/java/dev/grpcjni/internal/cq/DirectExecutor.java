// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.cq;

import java.util.concurrent.Executor;

/** Runs tasks on the calling thread: for callbacks, that is the poller thread. */
public enum DirectExecutor implements Executor {
  INSTANCE;

  @Override
  public void execute(Runnable command) {
    command.run();
  }

  @Override
  public String toString() {
    return "directExecutor";
  }
}
