// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.ArrayList;
import java.util.Arrays;
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
 * Status} and builder options instead. So are the fields HTTP/2 forbids or derives itself ({@code
 * host}, {@code connection}, {@code keep-alive}, {@code proxy-connection}, {@code
 * transfer-encoding}, {@code upgrade}; RFC 9113 8.2.2) and every other {@code grpc-} key, which the
 * gRPC protocol reserves for itself, except the ones applications and tracing set: {@code
 * grpc-trace-bin}, {@code grpc-tags-bin} and {@code grpc-retry-pushback-ms}.
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
          "grpc-status-details-bin",
          // RFC 9113 8.2.2: connection-specific fields make a request malformed; :authority
          // replaces host.
          "host",
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "upgrade");

  /** The grpc- keys applications set (tracing context, a server's retry pushback). */
  private static final Set<String> GRPC_KEYS_FOR_APPLICATIONS =
      Set.of("grpc-trace-bin", "grpc-tags-bin", "grpc-retry-pushback-ms");

  /**
   * Whether {@code key} is one the transport writes itself (content type, user agent, timeout,
   * encodings, status), one HTTP/2 forbids ({@code connection} and the like, {@code host}) or a
   * {@code grpc-} key the protocol reserves; {@link #put} and {@link #putBinary} refuse these.
   * Case-insensitive.
   */
  public static boolean isReserved(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return RESERVED.contains(k) || k.startsWith("grpc-") && !GRPC_KEYS_FOR_APPLICATIONS.contains(k);
  }

  /**
   * Keys at even indexes, values (String for text keys, byte[] for -bin keys) at odd ones; null
   * until the first entry, so an empty instance (the common case for received headers and trailers)
   * costs one small object.
   */
  private Object[] entries;

  private int size; // entries in use, counted as pairs

  public Metadata() {}

  /** Room for {@code entries} entries (what a decoder knows ahead). */
  Metadata(int entries) {
    if (entries > 0) {
      this.entries = new Object[2 * entries];
    }
  }

  /** A copy of {@code other}. */
  public Metadata(Metadata other) {
    if (other.size > 0) {
      entries = Arrays.copyOf(other.entries, 2 * other.size);
      size = other.size;
      for (int i = 1; i < 2 * size; i += 2) {
        if (entries[i] instanceof byte[]) {
          entries[i] = ((byte[]) entries[i]).clone();
        }
      }
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
    add(k, value);
    return this;
  }

  /**
   * Appends a binary entry; the key must end in {@code -bin}. The array is copied.
   *
   * @throws IllegalArgumentException if the key is malformed, reserved or not binary
   */
  public Metadata putBinary(String key, byte[] value) {
    add(checkKey(key, true), value.clone());
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
    for (int i = 0; i < size; i++) {
      if (key(i).equals(k)) {
        out.add((String) value(i));
      }
    }
    return out;
  }

  /** Copies of all binary values for {@code key} in order; empty if none. */
  public List<byte[]> getAllBinary(String key) {
    String k = normalize(key, true);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (key(i).equals(k)) {
        out.add(((byte[]) value(i)).clone());
      }
    }
    return out;
  }

  public boolean containsKey(String key) {
    return indexOfLast(key.toLowerCase(Locale.ROOT)) >= 0;
  }

  /** Removes every entry for {@code key}; returns how many there were. */
  public int removeAll(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (!key(i).equals(k)) {
        entries[2 * kept] = entries[2 * i];
        entries[2 * kept + 1] = entries[2 * i + 1];
        kept++;
      }
    }
    int removed = size - kept;
    if (removed > 0) {
      Arrays.fill(entries, 2 * kept, 2 * size, null);
      size = kept;
    }
    return removed;
  }

  /** The distinct keys, in order of first appearance. */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    for (int i = 0; i < size; i++) {
      keys.add(key(i));
    }
    return Collections.unmodifiableSet(keys);
  }

  /** Number of entries (a repeated key counts each time). */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Appends every entry of {@code other}. */
  public Metadata merge(Metadata other) {
    Metadata copy = new Metadata(other);
    for (int i = 0; i < copy.size; i++) {
      add(copy.key(i), copy.value(i));
    }
    return this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Metadata{");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      Object v = value(i);
      sb.append(key(i)).append('=');
      sb.append(v instanceof byte[] ? ((byte[]) v).length + " bytes" : v);
    }
    return sb.append('}').toString();
  }

  private String key(int i) {
    return (String) entries[2 * i];
  }

  private Object value(int i) {
    return entries[2 * i + 1];
  }

  private void add(String key, Object value) {
    if (entries == null) {
      entries = new Object[8];
    } else if (2 * size == entries.length) {
      entries = Arrays.copyOf(entries, 2 * entries.length);
    }
    entries[2 * size] = key;
    entries[2 * size + 1] = value;
    size++;
  }

  private int indexOfLast(String k) {
    for (int i = size - 1; i >= 0; i--) {
      if (key(i).equals(k)) {
        return i;
      }
    }
    return -1;
  }

  private Object last(String k) {
    int i = indexOfLast(k);
    return i < 0 ? null : value(i);
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
    if (isReserved(k)) {
      throw new IllegalArgumentException("metadata key is reserved for the transport: " + k);
    }
    return k;
  }

  // ---- raw access for the transport's codec (internal.wire.MetadataCodec), through the
  // internal access door: entries it decoded were checked by the peer's HTTP/2 stack, not here.

  void putUnchecked(String key, Object value) {
    add(key, value);
  }

  String keyAt(int i) {
    return key(i);
  }

  Object valueAt(int i) {
    return value(i);
  }
}
