// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A raw HTTP/2 client for tests that play a peer no gRPC library would be: frames and HPACK written
 * by hand (no Huffman coding), and a choice whether to acknowledge the server's SETTINGS.
 */
public final class RawHttp2 implements AutoCloseable {
  public static final int DATA = 0;
  public static final int HEADERS = 1;
  public static final int RST_STREAM = 3;
  public static final int SETTINGS = 4;
  public static final int PING = 6;
  public static final int GOAWAY = 7;
  public static final int CONTINUATION = 9;
  public static final int END_STREAM = 0x1;
  public static final int ACK = 0x1;
  public static final int END_HEADERS = 0x4;

  /**
   * How a stream ended ({@code trailers}, {@code data}, {@code reset} or {@code goaway}), whether
   * response messages came before, and the {@code grpc-status} of its last header block (null if
   * none).
   */
  public record Ending(String how, boolean sawData, String grpcStatus) {}

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final boolean ackSettings;

  /** Connects, sends the preface and empty SETTINGS; acknowledges the server's if asked to. */
  public RawHttp2(int port, boolean ackSettings) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    this.ackSettings = ackSettings;
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(US_ASCII));
    frame(SETTINGS, 0, 0, new byte[0]);
    out.flush();
  }

  /** The request headers of a gRPC call to {@code path}, each a literal without indexing. */
  public static ByteArrayOutputStream requestHeaders(String path) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    literal(block, ":method", "POST");
    literal(block, ":scheme", "http");
    literal(block, ":path", path);
    literal(block, ":authority", "localhost");
    literal(block, "content-type", "application/grpc");
    literal(block, "te", "trailers");
    return block;
  }

  /** Sends a header block on {@code stream}, split into CONTINUATION frames of 16 KiB. */
  public void headers(int stream, byte[] block, boolean endStream) throws IOException {
    writeHeaderBlock(out, stream, block, endStream);
    out.flush();
  }

  /** Writes a header block on {@code stream} as HEADERS and CONTINUATION frames of 16 KiB. */
  public static void writeHeaderBlock(OutputStream out, int stream, byte[] block, boolean endStream)
      throws IOException {
    int max = 16384;
    int first = Math.min(max, block.length);
    int flags = (endStream ? END_STREAM : 0) | (first == block.length ? END_HEADERS : 0);
    writeFrame(out, HEADERS, flags, stream, java.util.Arrays.copyOfRange(block, 0, first));
    for (int at = first; at < block.length; at += max) {
      int end = Math.min(block.length, at + max);
      writeFrame(
          out,
          CONTINUATION,
          end == block.length ? END_HEADERS : 0,
          stream,
          java.util.Arrays.copyOfRange(block, at, end));
    }
  }

  /** Sends one gRPC message (uncompressed) on {@code stream}. */
  public void message(int stream, byte[] message, boolean endStream) throws IOException {
    message(stream, 0, message, endStream);
  }

  /**
   * Sends one gRPC message on {@code stream} with {@code flag} as its Compressed-Flag byte (0
   * plain, 1 compressed; anything else is malformed) and {@code message} as its bytes, as they are.
   */
  public void message(int stream, int flag, byte[] message, boolean endStream) throws IOException {
    writeData(out, stream, grpcMessage(flag, message), endStream);
    out.flush();
  }

  /**
   * A gRPC message as it goes in DATA frames: the flag byte, a u32 length, the bytes as they are.
   */
  public static byte[] grpcMessage(int flag, byte[] message) {
    byte[] payload = new byte[5 + message.length];
    payload[0] = (byte) flag;
    payload[1] = (byte) (message.length >>> 24);
    payload[2] = (byte) (message.length >>> 16);
    payload[3] = (byte) (message.length >>> 8);
    payload[4] = (byte) message.length;
    System.arraycopy(message, 0, payload, 5, message.length);
    return payload;
  }

  /**
   * Writes {@code payload} on {@code stream} in DATA frames of at most 16 KiB, the default
   * SETTINGS_MAX_FRAME_SIZE; not flushed. No flow control: it must fit the peer's window (64 KiB at
   * first).
   */
  public static void writeData(OutputStream out, int stream, byte[] payload, boolean endStream)
      throws IOException {
    int max = 16384;
    for (int at = 0; ; at += max) {
      int end = Math.min(payload.length, at + max);
      boolean last = end == payload.length;
      writeFrame(
          out,
          DATA,
          last && endStream ? END_STREAM : 0,
          stream,
          java.util.Arrays.copyOfRange(payload, at, end));
      if (last) {
        break;
      }
    }
  }

  /** Reads frames until {@code stream} ends: "trailers", "data" (END_STREAM on DATA), "reset". */
  public Ending readUntilStreamEnds(int stream) throws IOException {
    boolean sawData = false;
    String grpcStatus = null;
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    boolean blockEndsStream = false;
    for (; ; ) {
      int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int id = in.readInt() & 0x7fffffff;
      byte[] payload = in.readNBytes(length);
      if (type == SETTINGS && (flags & ACK) == 0 && ackSettings) {
        frame(SETTINGS, ACK, 0, new byte[0]);
        out.flush();
      }
      if (type == GOAWAY) {
        return new Ending("goaway", sawData, grpcStatus);
      }
      if (type == HEADERS || type == CONTINUATION) {
        // Every block goes through the decoder, whatever its stream: they share one table.
        if (type == HEADERS) {
          block.reset();
          blockEndsStream = (flags & END_STREAM) != 0;
          block.write(payload, headersStart(flags, payload), blockLength(flags, payload));
        } else {
          block.write(payload, 0, payload.length);
        }
        if ((flags & END_HEADERS) == 0) {
          continue;
        }
        String status = hpack.decode(block.toByteArray()).get("grpc-status");
        if (id != stream) {
          continue;
        }
        grpcStatus = status != null ? status : grpcStatus;
        if (blockEndsStream) {
          return new Ending("trailers", sawData, grpcStatus);
        }
        continue;
      }
      if (id != stream) {
        continue;
      }
      if (type == RST_STREAM) {
        return new Ending("reset", sawData, grpcStatus);
      }
      sawData |= type == DATA && length > 0;
      if (type == DATA && (flags & END_STREAM) != 0) {
        return new Ending("data", sawData, grpcStatus);
      }
    }
  }

  private static final int PADDED = 0x8;
  private static final int PRIORITY = 0x20;

  private static int headersStart(int flags, byte[] payload) {
    return ((flags & PADDED) != 0 ? 1 : 0) + ((flags & PRIORITY) != 0 ? 5 : 0);
  }

  private static int blockLength(int flags, byte[] payload) {
    int padding = (flags & PADDED) != 0 ? payload[0] & 0xff : 0;
    return payload.length - headersStart(flags, payload) - padding;
  }

  private final HpackReader hpack = new HpackReader();

  /**
   * Just enough of an HPACK decoder (RFC 7541) to read what a server sends back: the dynamic table,
   * literals and indexed fields. Static-table entries decode to their index ({@code static:8}) and
   * Huffman-coded strings to {@code <huffman>}: tests look only at names the C core writes as plain
   * literals, such as {@code grpc-status}.
   */
  private static final class HpackReader {
    private final java.util.ArrayDeque<String[]> table = new java.util.ArrayDeque<>();
    private int size;
    private int maxSize = 4096;
    private byte[] b;
    private int pos;

    java.util.Map<String, String> decode(byte[] block) throws IOException {
      b = block;
      pos = 0;
      java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
      while (pos < b.length) {
        int first = b[pos] & 0xff;
        if ((first & 0x80) != 0) {
          String[] field = entry(integer(7));
          fields.put(field[0], field[1]);
        } else if ((first & 0xe0) == 0x20) {
          maxSize = integer(5);
          evict(0);
        } else {
          boolean index = (first & 0xc0) == 0x40;
          int nameIndex = integer(index ? 6 : 4);
          String name = nameIndex == 0 ? string() : entry(nameIndex)[0];
          String value = string();
          fields.put(name, value);
          if (index) {
            add(name, value);
          }
        }
      }
      return fields;
    }

    private String[] entry(int index) throws IOException {
      if (index <= 61) {
        return new String[] {"static:" + index, "static:" + index};
      }
      int i = index - 62;
      for (String[] e : table) {
        if (i-- == 0) {
          return e;
        }
      }
      throw new IOException("HPACK index " + index + " is not in the table");
    }

    private void add(String name, String value) {
      int entrySize = name.length() + value.length() + 32;
      evict(entrySize);
      if (entrySize <= maxSize) {
        table.addFirst(new String[] {name, value});
        size += entrySize;
      }
    }

    private void evict(int room) {
      while (!table.isEmpty() && size + room > maxSize) {
        String[] e = table.removeLast();
        size -= e[0].length() + e[1].length() + 32;
      }
    }

    private String string() {
      boolean huffman = (b[pos] & 0x80) != 0;
      int length = integer(7);
      String s = huffman ? "<huffman>" : new String(b, pos, length, US_ASCII);
      pos += length;
      return s;
    }

    private int integer(int bits) {
      int max = (1 << bits) - 1;
      int value = b[pos++] & max;
      if (value < max) {
        return value;
      }
      for (int shift = 0; ; shift += 7) {
        int next = b[pos++] & 0xff;
        value += (next & 0x7f) << shift;
        if ((next & 0x80) == 0) {
          return value;
        }
      }
    }
  }

  public void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    writeFrame(out, type, flags, stream, payload);
  }

  /** Writes one HTTP/2 frame (RFC 9113 4.1); not flushed. */
  public static void writeFrame(OutputStream out, int type, int flags, int stream, byte[] payload)
      throws IOException {
    out.write(payload.length >>> 16);
    out.write(payload.length >>> 8);
    out.write(payload.length);
    out.write(type);
    out.write(flags);
    out.write(stream >>> 24);
    out.write(stream >>> 16);
    out.write(stream >>> 8);
    out.write(stream);
    out.write(payload);
  }

  /** An HPACK literal header field without indexing, new name (RFC 7541 6.2.2). */
  public static void literal(ByteArrayOutputStream block, String name, String value) {
    block.write(0);
    string(block, name);
    string(block, value);
  }

  /** An HPACK literal header field with incremental indexing, new name (RFC 7541 6.2.1). */
  public static void indexedLiteral(ByteArrayOutputStream block, String name, String value) {
    block.write(0x40);
    string(block, name);
    string(block, value);
  }

  /** An HPACK indexed header field (RFC 7541 6.1): 62 is the newest dynamic-table entry. */
  public static void indexed(ByteArrayOutputStream block, int index) {
    integer(block, 0x80, 7, index);
  }

  private static void string(ByteArrayOutputStream block, String s) {
    byte[] bytes = s.getBytes(US_ASCII);
    integer(block, 0, 7, bytes.length);
    block.write(bytes, 0, bytes.length);
  }

  /** An HPACK integer with an {@code bits}-bit prefix (RFC 7541 5.1). */
  private static void integer(ByteArrayOutputStream block, int first, int bits, int value) {
    int max = (1 << bits) - 1;
    if (value < max) {
      block.write(first | value);
      return;
    }
    block.write(first | max);
    value -= max;
    while (value >= 128) {
      block.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    block.write(value);
  }

  /** Queues RST_STREAM with {@code errorCode} (8: CANCEL) on {@code stream}; not flushed. */
  public void rst(int stream, int errorCode) throws IOException {
    frame(
        RST_STREAM,
        0,
        stream,
        new byte[] {
          (byte) (errorCode >>> 24),
          (byte) (errorCode >>> 16),
          (byte) (errorCode >>> 8),
          (byte) errorCode
        });
  }

  /** Queues a PING with 8 bytes of {@code data}; not flushed. */
  public void ping(long data) throws IOException {
    byte[] payload = new byte[8];
    for (int i = 0; i < 8; i++) {
      payload[i] = (byte) (data >>> (56 - 8 * i));
    }
    frame(PING, 0, 0, payload);
  }

  public void flush() throws IOException {
    out.flush();
  }

  private volatile Thread drainer;
  private volatile boolean sawGoaway;
  private volatile boolean closedByServer;

  /**
   * Reads and drops everything the server sends from now on, on a daemon thread, so that a test
   * writing floods never blocks on a full socket; {@link #readUntilStreamEnds} must not be used
   * after. Notes a GOAWAY and the server closing the connection.
   */
  public void drainInBackground() {
    Thread t =
        new Thread(
            () -> {
              try {
                for (; ; ) {
                  int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
                  int type = in.readUnsignedByte();
                  in.readUnsignedByte();
                  in.readInt();
                  in.skipNBytes(length);
                  sawGoaway |= type == GOAWAY;
                }
              } catch (IOException e) {
                closedByServer = !socket.isClosed();
              }
            },
            "raw-http2-drain");
    t.setDaemon(true);
    t.start();
    drainer = t;
  }

  /** Whether the drain saw a GOAWAY. */
  public boolean sawGoaway() {
    return sawGoaway;
  }

  /** Whether the server closed the connection (seen by the drain). */
  public boolean closedByServer() {
    return closedByServer;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
