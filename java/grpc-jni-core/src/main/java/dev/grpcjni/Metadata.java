// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Request headers, response headers or trailers: an ordered list of (key, value) entries in which a
 * key may repeat. Keys are lower-case ASCII ({@code [0-9a-z_.-]}). Keys ending in {@code -bin} hold
 * binary values ({@code byte[]}); all others hold printable ASCII text.
 *
 * <p>Keys the transport owns ({@code content-type}, {@code te}, {@code user-agent}, {@code
 * grpc-status}, {@code grpc-message}, {@code grpc-timeout}, {@code grpc-encoding}, {@code
 * grpc-accept-encoding}, {@code grpc-status-details-bin}) are refused: use the deadline, {@link
 * Status} and builder options instead.
 *
 * <p>Not thread-safe. grpc-jni copies metadata when a call starts, so changes made afterwards do
 * not affect that call.
 */
public final class Metadata {
  /** Suffix of keys whose values are binary. */
  public static final String BINARY_SUFFIX = "-bin";

  /** Carries {@link Status#details()}; set through Status, never directly. */
  static final String STATUS_DETAILS_KEY = "grpc-status-details-bin";

  private static final Set<String> RESERVED =
      Set.of(
          "content-type",
          "te",
          "user-agent",
          "grpc-status",
          "grpc-message",
          "grpc-timeout",
          "grpc-encoding",
          "grpc-accept-encoding",
          "grpc-status-details-bin");

  private final ArrayList<String> keys;
  private final ArrayList<Object> values; // String for text keys, byte[] for -bin keys

  public Metadata() {
    keys = new ArrayList<>(4);
    values = new ArrayList<>(4);
  }

  private Metadata(int capacity) {
    keys = new ArrayList<>(capacity);
    values = new ArrayList<>(capacity);
  }

  /** A copy of {@code other}. */
  public Metadata(Metadata other) {
    keys = new ArrayList<>(other.keys);
    values = new ArrayList<>(other.values.size());
    for (Object v : other.values) {
      values.add(v instanceof byte[] ? ((byte[]) v).clone() : v);
    }
  }

  /**
   * Appends a text entry.
   *
   * @throws IllegalArgumentException if the key is malformed, reserved or binary, or the value is
   *     not printable ASCII
   */
  public Metadata put(String key, String value) {
    String k = checkKey(key, false);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        throw new IllegalArgumentException(
            "metadata value for '" + k + "' has a non-printable-ASCII character at " + i);
      }
    }
    keys.add(k);
    values.add(value);
    return this;
  }

  /**
   * Appends a binary entry; the key must end in {@code -bin}. The array is copied.
   *
   * @throws IllegalArgumentException if the key is malformed, reserved or not binary
   */
  public Metadata putBinary(String key, byte[] value) {
    keys.add(checkKey(key, true));
    values.add(value.clone());
    return this;
  }

  /** The last text value for {@code key}, or null. */
  public String get(String key) {
    Object v = last(normalize(key, false));
    return (String) v;
  }

  /** A copy of the last binary value for {@code key}, or null. */
  public byte[] getBinary(String key) {
    byte[] v = (byte[]) last(normalize(key, true));
    return v == null ? null : v.clone();
  }

  /** All text values for {@code key} in order; empty if none. */
  public List<String> getAll(String key) {
    String k = normalize(key, false);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).equals(k)) {
        out.add((String) values.get(i));
      }
    }
    return out;
  }

  /** Copies of all binary values for {@code key} in order; empty if none. */
  public List<byte[]> getAllBinary(String key) {
    String k = normalize(key, true);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).equals(k)) {
        out.add(((byte[]) values.get(i)).clone());
      }
    }
    return out;
  }

  public boolean containsKey(String key) {
    return keys.contains(key.toLowerCase(Locale.ROOT));
  }

  /** Removes every entry for {@code key}; returns how many there were. */
  public int removeAll(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    int removed = 0;
    for (int i = keys.size() - 1; i >= 0; i--) {
      if (keys.get(i).equals(k)) {
        keys.remove(i);
        values.remove(i);
        removed++;
      }
    }
    return removed;
  }

  /** The distinct keys, in order of first appearance. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(keys));
  }

  /** Number of entries (a repeated key counts each time). */
  public int size() {
    return keys.size();
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** Appends every entry of {@code other}. */
  public Metadata merge(Metadata other) {
    Metadata copy = new Metadata(other);
    keys.addAll(copy.keys);
    values.addAll(copy.values);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Metadata{");
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      Object v = values.get(i);
      sb.append(keys.get(i)).append('=');
      sb.append(v instanceof byte[] ? ((byte[]) v).length + " bytes" : v);
    }
    return sb.append('}').toString();
  }

  private Object last(String k) {
    for (int i = keys.size() - 1; i >= 0; i--) {
      if (keys.get(i).equals(k)) {
        return values.get(i);
      }
    }
    return null;
  }

  private static String normalize(String key, boolean binary) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.endsWith(BINARY_SUFFIX) != binary) {
      throw new IllegalArgumentException(
          binary
              ? "binary metadata keys end in -bin: " + key
              : "key '" + key + "' is binary: use getBinary/putBinary");
    }
    return k;
  }

  private static String checkKey(String key, boolean binary) {
    String k = normalize(key, binary);
    if (k.isEmpty() || k.length() == BINARY_SUFFIX.length() && binary) {
      throw new IllegalArgumentException("empty metadata key");
    }
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      if (!ok) {
        throw new IllegalArgumentException("illegal character '" + c + "' in metadata key: " + key);
      }
    }
    if (RESERVED.contains(k)) {
      throw new IllegalArgumentException("metadata key is reserved for the transport: " + k);
    }
    return k;
  }

  void putUnchecked(String key, Object value) {
    keys.add(key);
    values.add(value);
  }

  // ---- wire format (see native/include/grpcjni.h); reached through InternalAccess.
  // Keep in sync with native/src/grpcjni_wire.c.

  /** Encoded size in bytes. */
  int encodedSize() {
    int n = 4;
    for (int i = 0; i < keys.size(); i++) {
      Object v = values.get(i);
      n +=
          8
              + keys.get(i).length()
              + (v instanceof byte[] ? ((byte[]) v).length : ((String) v).length());
    }
    return n;
  }

  /** Writes the encoding at {@code out}'s position; {@code out} is little-endian. */
  void encode(ByteBuffer out) {
    out.putInt(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      putAscii(out, keys.get(i));
      Object v = values.get(i);
      if (v instanceof byte[]) {
        byte[] b = (byte[]) v;
        out.putInt(b.length).put(b);
      } else {
        putAscii(out, (String) v);
      }
    }
  }

  private static void putAscii(ByteBuffer out, String s) {
    int n = s.length();
    out.putInt(n);
    for (int i = 0; i < n; i++) {
      out.put((byte) s.charAt(i));
    }
  }

  /**
   * Reads an encoding written by the shim. Received entries are not validated: they come from the
   * peer through the C core. Text values decode as ISO-8859-1, so no byte is lost.
   *
   * <p>Runs for every arriving call, so it avoids garbage: keys peers commonly send map to
   * constants, and a common key's value equal to the one this thread decoded last (a client's
   * user-agent, say) is that same String again.
   */
  static Metadata decode(ByteBuffer in) {
    int count = in.getInt();
    Metadata md = new Metadata(count);
    DecodeCache cache = count == 0 ? null : DECODE_CACHE.get();
    for (int i = 0; i < count; i++) {
      int keyLength = in.getInt();
      int common = commonKey(in, keyLength);
      String key;
      if (common >= 0) {
        key = COMMON_KEYS[common];
        in.position(in.position() + keyLength);
      } else {
        key = cache.string(in, keyLength);
      }
      int len = in.getInt();
      Object value;
      if (key.endsWith(BINARY_SUFFIX)) {
        byte[] bytes = new byte[len];
        in.get(bytes);
        value = bytes;
      } else if (common >= 0) {
        value = cache.commonValue(common, in, len);
      } else {
        value = cache.string(in, len);
      }
      md.keys.add(key);
      md.values.add(value);
    }
    return md;
  }

  /** Keys peers send on most calls; decoded to these constants. */
  private static final String[] COMMON_KEYS = {
    "user-agent", "grpc-accept-encoding", "grpc-encoding", "authorization", "x-request-id"
  };

  private static final ThreadLocal<DecodeCache> DECODE_CACHE =
      ThreadLocal.withInitial(DecodeCache::new);

  /** The index in COMMON_KEYS of the {@code length} bytes at {@code in}'s position, or -1. */
  private static int commonKey(ByteBuffer in, int length) {
    int p = in.position();
    for (int k = 0; k < COMMON_KEYS.length; k++) {
      if (equalsLatin1(in, p, length, COMMON_KEYS[k])) {
        return k;
      }
    }
    return -1;
  }

  private static boolean equalsLatin1(ByteBuffer in, int p, int length, String s) {
    if (s.length() != length) {
      return false;
    }
    for (int j = 0; j < length; j++) {
      if ((in.get(p + j) & 0xFF) != s.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  /** Per-thread scratch space and the last value seen for each common key. */
  private static final class DecodeCache {
    private byte[] scratch = new byte[128];
    private final String[] lastValues = new String[COMMON_KEYS.length];

    /** Reads {@code length} bytes as ISO-8859-1 with one allocation (the String). */
    String string(ByteBuffer in, int length) {
      if (scratch.length < length) {
        scratch = new byte[Math.max(length, 2 * scratch.length)];
      }
      in.get(scratch, 0, length);
      return new String(scratch, 0, length, StandardCharsets.ISO_8859_1);
    }

    String commonValue(int key, ByteBuffer in, int length) {
      String last = lastValues[key];
      if (last != null && equalsLatin1(in, in.position(), length, last)) {
        in.position(in.position() + length);
        return last;
      }
      String value = string(in, length);
      lastValues[key] = value;
      return value;
    }
  }

  /** Skips an encoding without building objects. */
  static void skip(ByteBuffer in) {
    int count = in.getInt();
    for (int i = 0; i < 2 * count; i++) {
      int len = in.getInt();
      in.position(in.position() + len);
    }
  }
}
