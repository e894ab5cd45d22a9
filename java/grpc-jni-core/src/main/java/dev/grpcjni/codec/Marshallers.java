// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Marshallers for raw bytes and UTF-8 strings. */
public final class Marshallers {
  private static final Marshaller<byte[]> BYTES = new BytesMarshaller();
  private static final Marshaller<String> UTF8 = new Utf8Marshaller();

  private Marshallers() {}

  /** Sends a {@code byte[]} as is. Parsed arrays are fresh copies the caller owns. */
  public static Marshaller<byte[]> bytes() {
    return BYTES;
  }

  /** Sends a {@code String} as UTF-8; malformed input parses with replacement characters. */
  public static Marshaller<String> utf8() {
    return UTF8;
  }

  private static final class BytesMarshaller implements Marshaller<byte[]> {
    @Override
    public int serializedSize(byte[] value) {
      return value.length;
    }

    @Override
    public void serialize(byte[] value, ByteBuffer target) {
      target.put(value);
    }

    @Override
    public byte[] parse(ByteBuffer source) {
      // A heap buffer that covers a whole fresh array is handed over without another copy.
      if (source.hasArray()
          && source.arrayOffset() == 0
          && source.position() == 0
          && source.remaining() == source.array().length) {
        byte[] a = source.array();
        source.position(source.limit());
        return a;
      }
      byte[] out = new byte[source.remaining()];
      source.get(out);
      return out;
    }
  }

  private static final class Utf8Marshaller implements Marshaller<String> {
    @Override
    public int serializedSize(String value) {
      int n = 0;
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x80) {
          n += 1;
        } else if (c < 0x800) {
          n += 2;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          n += 4;
          i++;
        } else if (Character.isSurrogate(c)) {
          n += 1; // String.getBytes(UTF_8) writes a lone surrogate as '?'
        } else {
          n += 3;
        }
      }
      return n;
    }

    @Override
    public void serialize(String value, ByteBuffer target) {
      byte[] b = value.getBytes(StandardCharsets.UTF_8);
      target.put(b);
    }

    @Override
    public String parse(ByteBuffer source) {
      if (source.hasArray()) {
        String s =
            new String(
                source.array(),
                source.arrayOffset() + source.position(),
                source.remaining(),
                StandardCharsets.UTF_8);
        source.position(source.limit());
        return s;
      }
      return StandardCharsets.UTF_8.decode(source).toString();
    }
  }
}
