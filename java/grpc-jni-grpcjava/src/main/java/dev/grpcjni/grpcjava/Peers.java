// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import dev.grpcjni.AuthContext;
import io.grpc.Attributes;
import io.grpc.Grpc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/** Peers as the C core names them ({@code ipv4:127.0.0.1:5000}, {@code ipv6:[::1]:5000}). */
final class Peers {
  private Peers() {}

  /** The socket address {@code peer} names, or null for one that is not an IP address and port. */
  static SocketAddress address(String peer) {
    if (peer == null) {
      return null;
    }
    String rest;
    if (peer.startsWith("ipv4:")) {
      rest = peer.substring(5);
    } else if (peer.startsWith("ipv6:")) {
      rest = peer.substring(5);
    } else {
      return null;
    }
    int colon = rest.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    String host = rest.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int percent = host.indexOf('%'); // a scope id: "%25" escaped in the C core's URI form
    if (percent >= 0) {
      host = host.substring(0, percent);
    }
    try {
      int port = Integer.parseInt(rest.substring(colon + 1));
      // A literal address: no name lookup happens.
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException | IllegalArgumentException e) { // incl. NumberFormatException
      return null;
    }
  }

  /**
   * The last server-address-only attributes made: a client's calls go to a few servers, and the C
   * core's peer string of one is the same String each time (NativeChannel.servedBy).
   */
  private static volatile AddressAttributes lastServer;

  private record AddressAttributes(String peer, Attributes attributes) {}

  /**
   * A client call's transport attributes: of the server the C core names as {@code peer} over a
   * transport that established {@code auth}; {@link Attributes#EMPTY} if {@code peer} is no IP
   * address. Without a TLS session, the attributes of the last such server are reused.
   */
  static Attributes serverAttributes(String peer, AuthContext auth) {
    boolean tls = auth.isTls(); // then each call has a session of its own
    AddressAttributes last = lastServer;
    if (!tls && last != null && last.peer.equals(peer)) {
      return last.attributes;
    }
    SocketAddress remote = address(peer);
    if (remote == null) {
      return Attributes.EMPTY;
    }
    Attributes a = transportAttributes(remote, auth);
    if (!tls) {
      lastServer = new AddressAttributes(peer, a);
    }
    return a;
  }

  /**
   * grpc-java's transport attributes of a call with {@code remote} over a transport that
   * established {@code auth}: the remote address and, for TLS, the session.
   */
  static Attributes transportAttributes(SocketAddress remote, AuthContext auth) {
    Attributes.Builder b = Attributes.newBuilder().set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, remote);
    TlsSession session = TlsSession.of(auth);
    if (session != null) {
      b.set(Grpc.TRANSPORT_ATTR_SSL_SESSION, session);
    }
    return b.build();
  }
}
