// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * C-core channel arguments ({@code grpc.*} keys) for a channel or server, encoded in the wire
 * format of native/include/grpcjni.h. A later value for a key replaces the earlier one.
 *
 * <p>Keep in sync with native/src/grpcjni_wire.c: grpcjni_channel_args_decode().
 */
public final class ChannelArgs {
  /** The shim turns this integer into a C-core resource quota of that many bytes. */
  public static final String RESOURCE_QUOTA_BYTES = "grpcjni.resource_quota_bytes";

  private static final byte INT = 0;
  private static final byte STRING = 1;

  private final Map<String, Object> args = new LinkedHashMap<>();

  public ChannelArgs set(String key, int value) {
    args.put(checkKey(key), value);
    return this;
  }

  public ChannelArgs set(String key, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("channel arg value contains NUL: " + key);
    }
    args.put(checkKey(key), value);
    return this;
  }

  public ChannelArgs copy() {
    ChannelArgs c = new ChannelArgs();
    c.args.putAll(args);
    return c;
  }

  public Object get(String key) {
    return args.get(key);
  }

  public boolean isEmpty() {
    return args.isEmpty();
  }

  /** Encodes into {@code buffer} (cleared first) and returns the length; 0 when empty. */
  public int encode(NativeBuffer buffer) {
    if (args.isEmpty()) {
      return 0;
    }
    int size = 4;
    for (Map.Entry<String, Object> e : args.entrySet()) {
      size += 1 + 4 + utf8(e.getKey()).length + 4;
      if (e.getValue() instanceof String) {
        size += utf8((String) e.getValue()).length;
      }
    }
    buffer.ensureCapacity(size);
    ByteBuffer b = buffer.buffer();
    b.putInt(args.size());
    for (Map.Entry<String, Object> e : args.entrySet()) {
      Object v = e.getValue();
      b.put(v instanceof String ? STRING : INT);
      putBytes(b, utf8(e.getKey()));
      if (v instanceof String) {
        putBytes(b, utf8((String) v));
      } else {
        b.putInt((Integer) v);
      }
    }
    return b.position();
  }

  private static void putBytes(ByteBuffer b, byte[] bytes) {
    b.putInt(bytes.length).put(bytes);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String checkKey(String key) {
    if (key.isEmpty() || key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("bad channel arg key: '" + key + "'");
    }
    return key;
  }

  @Override
  public String toString() {
    return args.toString();
  }

  /**
   * {@code d} as a milliseconds argument, at most Integer.MAX_VALUE.
   *
   * @throws IllegalArgumentException naming {@code option} if {@code d} is below 1 ms
   */
  public static int millis(String option, java.time.Duration d) {
    java.util.Objects.requireNonNull(d, option);
    if (d.compareTo(java.time.Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException(option + " must be at least 1 ms: " + d);
    }
    return d.compareTo(java.time.Duration.ofMillis(Integer.MAX_VALUE)) >= 0
        ? Integer.MAX_VALUE
        : (int) d.toMillis();
  }

  /**
   * A fixed per-stream flow-control window: the C core advertises {@code
   * grpc.http2.lookahead_bytes} as {@code SETTINGS_INITIAL_WINDOW_SIZE} once BDP probing, which
   * otherwise sizes it, is off.
   *
   * @throws IllegalArgumentException if {@code bytes} is below the HTTP/2 default of 65,535
   */
  public static void flowControlWindow(ChannelArgs args, int bytes) {
    if (bytes < 65_535) {
      throw new IllegalArgumentException("flowControlWindow must be at least 65535: " + bytes);
    }
    args.set("grpc.http2.lookahead_bytes", bytes);
    args.set("grpc.http2.bdp_probe", 0);
  }
}
