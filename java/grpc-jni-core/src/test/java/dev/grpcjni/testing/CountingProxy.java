// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/** A TCP relay on 127.0.0.1:0 that counts the bytes going each way, to see what is on the wire. */
public final class CountingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  public final AtomicLong upstream = new AtomicLong(); // client to server
  public final AtomicLong downstream = new AtomicLong(); // server to client

  public CountingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "counting-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Resets both counters. */
  public void reset() {
    upstream.set(0);
    downstream.set(0);
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        pump(client, server, upstream);
        pump(server, client, downstream);
      }
    } catch (IOException e) {
      // closed
    }
  }

  private static void pump(Socket from, Socket to, AtomicLong counter) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16384];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                  counter.addAndGet(n);
                  out.write(buf, 0, n);
                }
              } catch (IOException e) {
                // connection closed
              } finally {
                try {
                  to.shutdownOutput();
                } catch (IOException ignored) {
                  // already closed
                }
              }
            },
            "counting-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
