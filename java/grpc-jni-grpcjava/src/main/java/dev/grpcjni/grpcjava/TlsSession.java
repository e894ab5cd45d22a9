// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni.grpcjava;

import dev.grpcjni.AuthContext;
import io.grpc.SecurityLevel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionBindingEvent;
import javax.net.ssl.SSLSessionBindingListener;
import javax.net.ssl.SSLSessionContext;

/**
 * A connection's TLS session as the C core's auth context describes it: what grpc-java's transports
 * put under {@code Grpc.TRANSPORT_ATTR_SSL_SESSION}, so that code reading the peer's certificates
 * ({@code getPeerCertificates()}, {@code getPeerPrincipal()}) runs unchanged.
 *
 * <pre>
 * Overview:
 *   The peer's certificates are x509_pem_cert (the leaf) followed by the rest of
 *   x509_pem_cert_chain (OpenSSL's peer chain: with the leaf on a client, without it on a
 *   server); none means the peer presented no certificate, and getPeerCertificates throws
 *   SSLPeerUnverifiedException as the JDK's sessions do. The certificates are parsed when first
 *   asked for. libgrpc 1.51 reports neither the protocol, the cipher suite, the session id nor the
 *   local certificates: the first two read as the JDK's own sessions read when nothing was
 *   negotiated ("NONE", "SSL_NULL_WITH_NULL_NULL"), the id is random and this object's own, the
 *   local certificates null. Each call has its own session object (grpc-java's calls on one
 *   connection share one), so values put in it stay with the call.
 * </pre>
 */
final class TlsSession implements SSLSession {
  private final String leafPem; // null: none presented
  private final String chainPem; // or null
  private final byte[] id = new byte[32];
  private final long created = System.currentTimeMillis();
  private final Map<String, Object> values = new ConcurrentHashMap<>();
  private volatile Certificate[] peerCertificates; // parsed when first asked for

  private TlsSession(String leafPem, String chainPem) {
    this.leafPem = leafPem;
    this.chainPem = chainPem;
    ThreadLocalRandom.current().nextBytes(id); // unique, not secret
  }

  /** The session of a call whose transport is {@code auth}; null if it is not TLS. */
  static TlsSession of(AuthContext auth) {
    if (!auth.isTls()) {
      return null;
    }
    String leaf = auth.peerCertificatePem();
    return new TlsSession(
        leaf == null || leaf.isEmpty() ? null : leaf, first(auth, "x509_pem_cert_chain"));
  }

  /** The leaf, then what else the chain holds (a client's chain holds the leaf, a server's not). */
  private Certificate[] parsePeerCertificates() {
    if (leafPem == null) {
      return new Certificate[0];
    }
    List<Certificate> certs = new ArrayList<>(parse(leafPem));
    if (certs.size() == 1 && chainPem != null) {
      for (Certificate c : parse(chainPem)) {
        if (!certs.contains(c)) {
          certs.add(c);
        }
      }
    }
    return certs.toArray(new Certificate[0]);
  }

  /** grpc-java's name for the security level the C core reports; NONE if it reports none. */
  static SecurityLevel securityLevel(AuthContext auth) {
    String level = auth.securityLevel();
    if ("TSI_PRIVACY_AND_INTEGRITY".equals(level)) {
      return SecurityLevel.PRIVACY_AND_INTEGRITY;
    } else if ("TSI_INTEGRITY_ONLY".equals(level)) {
      return SecurityLevel.INTEGRITY;
    }
    return SecurityLevel.NONE;
  }

  private static String first(AuthContext auth, String name) {
    var values = auth.values(name);
    return values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  private static List<Certificate> parse(String pem) {
    try {
      return new ArrayList<>(
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    } catch (CertificateException e) {
      return List.of(); // the core verified it; what the JDK cannot read is reported as none
    }
  }

  @Override
  public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
    Certificate[] peerCertificates = this.peerCertificates;
    if (peerCertificates == null) {
      this.peerCertificates = peerCertificates = parsePeerCertificates();
    }
    if (peerCertificates.length == 0) {
      throw new SSLPeerUnverifiedException("peer not authenticated");
    }
    return peerCertificates.clone();
  }

  @Override
  public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
    return ((X509Certificate) getPeerCertificates()[0]).getSubjectX500Principal();
  }

  @Override
  public Certificate[] getLocalCertificates() {
    return null;
  }

  @Override
  public Principal getLocalPrincipal() {
    return null;
  }

  @Override
  public String getProtocol() {
    return "NONE";
  }

  @Override
  public String getCipherSuite() {
    return "SSL_NULL_WITH_NULL_NULL";
  }

  /** Random, this object's own: the C core does not say the TLS session's id. */
  @Override
  public byte[] getId() {
    return id.clone();
  }

  @Override
  public SSLSessionContext getSessionContext() {
    return null;
  }

  @Override
  public long getCreationTime() {
    return created;
  }

  @Override
  public long getLastAccessedTime() {
    return created;
  }

  @Override
  public void invalidate() {}

  @Override
  public boolean isValid() {
    return true;
  }

  @Override
  public void putValue(String name, Object value) {
    if (name == null || value == null) {
      throw new IllegalArgumentException("name and value must not be null");
    }
    Object old = values.put(name, value);
    if (old instanceof SSLSessionBindingListener l) {
      l.valueUnbound(new SSLSessionBindingEvent(this, name));
    }
    if (value instanceof SSLSessionBindingListener l) {
      l.valueBound(new SSLSessionBindingEvent(this, name));
    }
  }

  @Override
  public Object getValue(String name) {
    if (name == null) {
      throw new IllegalArgumentException("name must not be null");
    }
    return values.get(name);
  }

  @Override
  public void removeValue(String name) {
    if (name == null) {
      throw new IllegalArgumentException("name must not be null");
    }
    Object old = values.remove(name);
    if (old instanceof SSLSessionBindingListener l) {
      l.valueUnbound(new SSLSessionBindingEvent(this, name));
    }
  }

  @Override
  public String[] getValueNames() {
    return values.keySet().toArray(new String[0]);
  }

  @Override
  public String getPeerHost() {
    return null;
  }

  @Override
  public int getPeerPort() {
    return -1;
  }

  @Override
  public int getPacketBufferSize() {
    return 16_709; // the JDK's for TLS: a record's plaintext with its header, padding and MAC
  }

  @Override
  public int getApplicationBufferSize() {
    return 16_384; // a TLS record's plaintext
  }
}
