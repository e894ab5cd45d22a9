// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.Context;
import dev.grpcjni.Deadline;
import dev.grpcjni.internal.ApiAccess;
import dev.grpcjni.internal.transport.NativeCall;

/**
 * A server call's {@link Context}: its deadline is the client's, and it is cancelled when the call
 * ends (the C core enforces the deadline, so no timer is needed here). It carries the native call,
 * so that a client call made in it can name the C core its parent.
 */
final class CallContext extends Context.CancellableContext {
  private final NativeCall call;

  CallContext(Deadline deadline, NativeCall call) {
    super(Context.ROOT, deadline, null);
    this.call = call;
  }

  /**
   * The native server call whose cancellation {@code scope} cascades from, or null: the call of the
   * nearest server call context among the contexts {@code scope} is cancelled with. A {@link
   * Context#fork() fork} is cancelled with none, so a call made in it has no parent.
   */
  static NativeCall nativeParentOf(Context scope) {
    for (Context.CancellableContext c = ApiAccess.get().cancellableOf(scope);
        c != null;
        c = ApiAccess.get().cancelledWith(c)) {
      if (c instanceof CallContext) {
        return ((CallContext) c).call;
      }
    }
    return null;
  }
}
