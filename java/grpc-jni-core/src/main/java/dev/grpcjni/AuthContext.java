// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The grpc-jni Authors
package dev.grpcjni;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who the peer of a call is, as the transport established it: for TLS, from its certificate, in the
 * C core's auth-context properties. {@link ServerCallContext#authContext()} gives a server call's,
 * so that a handler or interceptor can check a client certificate's name against an allowed list
 * (as TiKV does with {@code cert-allowed-cn}):
 *
 * <pre>{@code
 * AuthContext auth = ctx.authContext();
 * if (!auth.isPeerAuthenticated() || !ALLOWED.contains(auth.commonName())) {
 *   throw Status.PERMISSION_DENIED.withDescription("client not allowed").asException();
 * }
 * }</pre>
 *
 * <p>A peer is authenticated when the transport verified an identity: a TLS client that presented a
 * certificate the server's trust roots accept (its identity is then the certificate's subject
 * alternative names, or its common name when it has none), or any peer over local credentials
 * (identity {@code local}: check {@link #isTls()} before trusting certificate names). Immutable.
 */
public final class AuthContext {
  /** One property: a name such as {@code x509_common_name} and its value. */
  public record Property(String name, String value) {
    public Property {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /** C-core property names. */
  public static final String TRANSPORT_SECURITY_TYPE = "transport_security_type";

  public static final String SECURITY_LEVEL = "security_level";
  public static final String X509_COMMON_NAME = "x509_common_name";
  public static final String X509_SUBJECT_ALTERNATIVE_NAME = "x509_subject_alternative_name";
  public static final String X509_PEM_CERT = "x509_pem_cert";

  /**
   * No properties at all: what a {@link ServerCallContext} that is not a grpc-jni server call's
   * reports. (A plaintext call has {@code transport_security_type} {@code insecure}.)
   */
  public static final AuthContext NONE = new AuthContext(null, List.of());

  private final String identityName; // null: not authenticated
  private final List<Property> properties;

  private AuthContext(String identityName, List<Property> properties) {
    this.identityName = identityName;
    this.properties = List.copyOf(properties);
  }

  /**
   * An auth context with these properties, whose peer identity is the values of {@code
   * identityPropertyName} (null: the peer is not authenticated). For tests and fakes; calls get
   * theirs from the transport.
   */
  public static AuthContext create(String identityPropertyName, List<Property> properties) {
    return new AuthContext(
        identityPropertyName == null || identityPropertyName.isEmpty()
            ? null
            : identityPropertyName,
        Objects.requireNonNull(properties, "properties"));
  }

  /** Whether the transport verified the peer's identity. */
  public boolean isPeerAuthenticated() {
    return identityName != null;
  }

  /** The name of the properties that make the peer's identity, or null if not authenticated. */
  public String peerIdentityPropertyName() {
    return identityName;
  }

  /** The peer's identity (e.g. its certificate's SANs), empty if not authenticated. */
  public List<String> peerIdentity() {
    return identityName == null ? List.of() : values(identityName);
  }

  /** Every property, in the transport's order. */
  public List<Property> properties() {
    return properties;
  }

  /** The values of property {@code name}, in order; empty if it has none. */
  public List<String> values(String name) {
    List<String> out = new ArrayList<>();
    for (Property p : properties) {
      if (p.name().equals(name)) {
        out.add(p.value());
      }
    }
    return List.copyOf(out);
  }

  private String first(String name) {
    for (Property p : properties) {
      if (p.name().equals(name)) {
        return p.value();
      }
    }
    return null;
  }

  /**
   * The transport's kind as libgrpc 1.51 names it: {@code ssl} for TLS from PEM or key stores,
   * {@code tls} for TLS whose files are re-read ({@code refreshFromFiles}), {@code local} for local
   * credentials, {@code insecure} for plaintext; null if unknown.
   */
  public String transportSecurityType() {
    return first(TRANSPORT_SECURITY_TYPE);
  }

  /** Whether the call came over TLS (either of the C core's TLS stacks). */
  public boolean isTls() {
    String type = transportSecurityType();
    return "ssl".equals(type) || "tls".equals(type);
  }

  /**
   * The connection's security level as the C core names it: {@code TSI_PRIVACY_AND_INTEGRITY} for
   * TLS and local credentials, {@code TSI_SECURITY_NONE} for plaintext; null if unknown.
   */
  public String securityLevel() {
    return first(SECURITY_LEVEL);
  }

  /** The subject common name of the peer's certificate, or null. */
  public String commonName() {
    return first(X509_COMMON_NAME);
  }

  /** The subject alternative names of the peer's certificate (DNS names, IPs, URIs, emails). */
  public List<String> subjectAlternativeNames() {
    return values(X509_SUBJECT_ALTERNATIVE_NAME);
  }

  /** The peer's certificate in PEM, or null if it presented none. */
  public String peerCertificatePem() {
    return first(X509_PEM_CERT);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("AuthContext{");
    sb.append(identityName == null ? "unauthenticated" : "identity=" + peerIdentity());
    String type = transportSecurityType();
    if (type != null) {
      sb.append(", ").append(type);
    }
    return sb.append('}').toString();
  }
}
