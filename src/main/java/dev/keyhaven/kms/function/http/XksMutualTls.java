package dev.keyhaven.kms.function.http;

import dev.keyhaven.kms.config.KmsConfig;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.TrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Mutual TLS for the XKS proxy API ({@code kms.xks.mtls.*}; docs/xks.md), the spec's option
 * ("Authentication"): AWS KMS presents a client certificate with {@code CN=cks.kms.<region>
 * .amazonaws.com}; the proxy lets the customer configure the CA and the subject, and terminates the
 * TLS handshake on a certificate of another CA or subject.
 *
 * <p>Contract, when {@code kms.xks.mtls.ca-file} is set: the HTTPS listener asks every client for a
 * certificate without requiring one ({@code ClientAuth.REQUEST}, so the AWS KMS API on the same
 * listener works without); a certificate presented must chain (PKIX) to a certificate of the CA
 * file and carry the configured subject CN, or the handshake fails. An XKS request on a connection
 * without such a certificate is refused by {@link #refusal} (AuthenticationFailedException, 401,
 * audited). Unset: nothing changes.
 */
@ApplicationScoped
public class XksMutualTls implements HttpServerOptionsCustomizer {
  private final X509ExtendedTrustManager trust;
  private final String subjectCn;

  XksMutualTls(KmsConfig config) {
    var mtls = config.xks().mtls();
    this.subjectCn = mtls.subjectCn().orElse("cks.kms." + config.region() + ".amazonaws.com");
    this.trust =
        mtls.caFile().map(file -> new SubjectTrust(caTrust(Path.of(file)), subjectCn)).orElse(null);
  }

  @Override
  public void customizeHttpsServer(HttpServerOptions options) {
    if (trust != null) {
      options.setClientAuth(ClientAuth.REQUEST);
      options.setTrustOptions(TrustOptions.wrap(trust));
    }
  }

  /**
   * Null when an XKS request on {@code connection} may go on to SigV4; otherwise why the transport
   * refuses it (mutual TLS on, and no acceptable client certificate).
   */
  public String refusal(HttpServerRequest connection) {
    if (trust == null) {
      return null;
    }
    SSLSession session = connection == null || !connection.isSSL() ? null : connection.sslSession();
    if (session != null) {
      try {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length > 0
            && chain[0] instanceof X509Certificate leaf
            && subjectCn.equals(commonName(leaf))) {
          return null; // verified by the trust manager during the handshake
        }
      } catch (SSLPeerUnverifiedException noCertificate) {
        // refused below
      }
    }
    return "The XKS proxy requires a client certificate (mutual TLS) with CN="
        + subjectCn
        + " from its configured certificate authority.";
  }

  /** A PKIX trust manager over the CA file's certificates (PEM, one or more). */
  static X509ExtendedTrustManager caTrust(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> cas =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (cas.isEmpty()) {
        throw new IllegalStateException(
            "kms.xks.mtls.ca-file " + file + " holds no PEM certificate");
      }
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int i = 0;
      for (Certificate ca : cas) {
        anchors.setCertificateEntry("xks-ca-" + i++, ca);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(anchors);
      for (var manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("no X.509 trust manager for kms.xks.mtls.ca-file");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "kms.xks.mtls.ca-file " + file + ": not a readable PEM certificate file", e);
    }
  }

  /** The certificate's subject CN, or null. */
  static String commonName(X509Certificate certificate) {
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdn.getValue());
        }
      }
    } catch (InvalidNameException e) {
      return null;
    }
    return null;
  }

  /** The CA's PKIX verdict on client chains, and the subject CN; never trusts a server. */
  private static final class SubjectTrust extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager ca;
    private final String subjectCn;

    SubjectTrust(X509ExtendedTrustManager ca, String subjectCn) {
      this.ca = ca;
      this.subjectCn = subjectCn;
    }

    private void subject(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0 || !subjectCn.equals(commonName(chain[0]))) {
        throw new CertificateException("client certificate subject is not CN=" + subjectCn);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      ca.checkClientTrusted(chain, authType);
      subject(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      ca.checkClientTrusted(chain, authType, socket);
      subject(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      ca.checkClientTrusted(chain, authType, engine);
      subject(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("a server listener trusts no server");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a server listener trusts no server");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a server listener trusts no server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return ca.getAcceptedIssuers();
    }
  }
}
