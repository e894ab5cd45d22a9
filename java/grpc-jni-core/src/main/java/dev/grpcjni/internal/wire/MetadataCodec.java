// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.internal.wire;

import dev.grpcjni.Metadata;
import dev.grpcjni.internal.ApiAccess;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@link Metadata} in the shim's encoding: {@code u32 count, then per entry u32 len + key, u32 len
 * + value}, little-endian (native/include/grpcjni.h). Keys are ASCII; text values ASCII, binary
 * values raw.
 *
 * <p>Keep in sync with native/src/grpcjni_wire.c.
 */
public final class MetadataCodec {
  private MetadataCodec() {}

  /** The most entries the shim decodes (GRPCJNI_MAX_WIRE_ENTRIES in grpcjni_wire.c). */
  public static final int MAX_ENTRIES = 1 << 16;

  /** Metadata with more than {@link #MAX_ENTRIES} entries, which no send can carry. */
  public static final class TooManyEntriesException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    TooManyEntriesException(int entries) {
      super(entries + " metadata entries; at most " + MAX_ENTRIES + " can be sent");
    }
  }

  /**
   * Bytes {@link #encode} writes for {@code md}; 0 for null or empty (the shim reads none).
   *
   * @throws TooManyEntriesException above {@link #MAX_ENTRIES} entries
   */
  public static int encodedSize(Metadata md) {
    if (md == null || md.isEmpty()) {
      return 0;
    }
    if (md.size() > MAX_ENTRIES) {
      throw new TooManyEntriesException(md.size());
    }
    int n = 4;
    for (int i = 0; i < md.size(); i++) {
      Object v = ApiAccess.get().metadataValue(md, i);
      n +=
          8
              + ApiAccess.get().metadataKey(md, i).length()
              + (v instanceof byte[] ? ((byte[]) v).length : ((String) v).length());
    }
    return n;
  }

  /** Writes {@code md} at {@code out}'s position; nothing for null or empty. */
  public static void encode(Metadata md, ByteBuffer out) {
    if (md == null || md.isEmpty()) {
      return;
    }
    out.putInt(md.size());
    for (int i = 0; i < md.size(); i++) {
      putAscii(out, ApiAccess.get().metadataKey(md, i));
      Object v = ApiAccess.get().metadataValue(md, i);
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

  /** Reads one encoding the shim wrote (received metadata). */
  public static Metadata decode(ByteBuffer in) {
    int count = in.getInt();
    // Exactly sized (each entry takes at least 8 bytes, which bounds what a count can ask for).
    Metadata md = ApiAccess.get().newMetadata(Math.min(count, in.remaining() / 8));
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
      if (key.endsWith(Metadata.BINARY_SUFFIX)) {
        byte[] bytes = new byte[len];
        in.get(bytes);
        value = bytes;
      } else if (common >= 0) {
        value = cache.commonValue(common, in, len);
      } else {
        value = cache.string(in, len);
      }
      ApiAccess.get().putUnchecked(md, key, value);
    }
    return md;
  }

  /** Skips an encoding without building objects. */
  public static void skip(ByteBuffer in) {
    int count = in.getInt();
    for (int i = 0; i < 2 * count; i++) {
      int len = in.getInt();
      in.position(in.position() + len);
    }
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
}
