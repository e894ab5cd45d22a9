// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.benchmarks.grpcjava;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name=value} flags (and bare {@code --name} for true) over a map of defaults. */
final class Flags {
  private final Map<String, String> values;

  private Flags(Map<String, String> values) {
    this.values = values;
  }

  /** Parses {@code args}; an unknown flag or a missing value is an IllegalArgumentException. */
  static Flags parse(String[] args, Map<String, String> defaults) {
    Map<String, String> values = new LinkedHashMap<>(defaults);
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("not a flag: " + arg);
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("unknown flag: --" + name);
      }
      values.put(name, eq < 0 ? "true" : arg.substring(eq + 1));
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException("--" + e.getKey() + " is required");
      }
    }
    return new Flags(values);
  }

  String get(String name) {
    return values.get(name);
  }

  int getInt(String name) {
    return Integer.parseInt(values.get(name));
  }

  boolean getBoolean(String name) {
    return Boolean.parseBoolean(values.get(name));
  }

  /** HOST of {@code HOST:PORT}. */
  static String host(String address) {
    return address.substring(0, address.lastIndexOf(':'));
  }

  /** PORT of {@code HOST:PORT}. */
  static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }
}
