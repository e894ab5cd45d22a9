// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.call;

import dev.grpcjni.ClientCall;
import dev.grpcjni.ServerCall;

/**
 * Which callbacks a listener class overrides, so that an engine can skip the work (and the executor
 * task) behind a callback the listener would ignore: decoding a unary call's response headers, or
 * scheduling a unary server call's onComplete. Skipping a callback that does nothing is invisible;
 * a class that overrides it always gets it. Computed once per class.
 */
final class ListenerMethods extends ClassValue<Integer> {
  static final int ON_HEADERS = 1; // ClientCall.Listener
  static final int ON_COMPLETE = 2; // ServerCall.Listener
  static final int ON_CANCEL = 4; // ServerCall.Listener

  private static final ListenerMethods OVERRIDDEN = new ListenerMethods();

  private ListenerMethods() {}

  /** Whether {@code listener}'s class overrides every callback in {@code methods}. */
  static boolean overrides(Object listener, int methods) {
    return (OVERRIDDEN.get(listener.getClass()) & methods) == methods;
  }

  @Override
  protected Integer computeValue(Class<?> type) {
    int methods = 0;
    if (ClientCall.Listener.class.isAssignableFrom(type)) {
      methods |= declaredBelow(type, ClientCall.Listener.class, "onHeaders", ON_HEADERS);
    }
    if (ServerCall.Listener.class.isAssignableFrom(type)) {
      methods |= declaredBelow(type, ServerCall.Listener.class, "onComplete", ON_COMPLETE);
      methods |= declaredBelow(type, ServerCall.Listener.class, "onCancel", ON_CANCEL);
    }
    return methods;
  }

  /** {@code bit} if {@code type}'s public {@code name} method is not the base class's no-op. */
  private static int declaredBelow(Class<?> type, Class<?> base, String name, int bit) {
    for (java.lang.reflect.Method m : type.getMethods()) {
      if (m.getName().equals(name) && !m.isBridge()) {
        return m.getDeclaringClass() == base ? 0 : bit;
      }
    }
    return bit; // not found: assume it matters
  }
}
