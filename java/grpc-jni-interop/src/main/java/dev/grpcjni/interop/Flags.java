// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.interop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --name=value} command lines as gRPC's interop and benchmark programs take them; a boolean
 * flag may also be given bare ({@code --tls}). Unknown flags are errors, so a typo does not
 * silently run the default case.
 */
public final class Flags {
  private final Map<String, String> values;

  private Flags(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code args} against {@code defaults} (name → default, null for "no default").
   *
   * @throws IllegalArgumentException for an unknown flag or one without {@code =value}
   */
  public static Flags parse(String[] args, Map<String, String> defaults) {
    Map<String, String> values = new LinkedHashMap<>(defaults);
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("expected --name=value, got: " + arg);
      }
      if (arg.indexOf('=') < 0) {
        // A bare boolean flag, as grpc-java's benchmark tools take them: --tls means --tls=true.
        String name = arg.substring(2);
        String d = defaults.get(name);
        if (!"true".equals(d) && !"false".equals(d)) {
          throw new IllegalArgumentException("expected --name=value, got: " + arg);
        }
        values.put(name, "true");
        continue;
      }
      int eq = arg.indexOf('=');
      String name = arg.substring(2, eq);
      if (!defaults.containsKey(name)) {
        throw new IllegalArgumentException("unknown flag: --" + name);
      }
      values.put(name, arg.substring(eq + 1));
    }
    return new Flags(values);
  }

  /** The value, or null if unset and without a default. */
  public String get(String name) {
    return values.get(name);
  }

  public int getInt(String name) {
    String v = values.get(name);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer: " + v);
    }
  }

  public boolean getBoolean(String name) {
    String v = values.get(name);
    if ("true".equalsIgnoreCase(v)) {
      return true;
    }
    if ("false".equalsIgnoreCase(v)) {
      return false;
    }
    throw new IllegalArgumentException("--" + name + " must be true or false: " + v);
  }

  /** True if {@code args} ask for help. */
  public static boolean wantsHelp(String[] args) {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }
}
