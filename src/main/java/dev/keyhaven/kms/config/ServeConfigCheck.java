package dev.keyhaven.kms.config;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The production server ({@link FunctionScope#SERVE}, {@code ./kms serve}; docs/self-hosting.md)
 * starts only from a complete and safe configuration.
 *
 * <p>Contract: in the serve build this check runs while the configuration itself is assembled (a
 * {@link ConfigSourceFactory}, registered in META-INF/services, that contributes no source), so
 * before any other startup work: before a database connection is opened or the schema migrated, the
 * root of trust is read or created, or a listener accepts a request. When it finds problems the
 * process exits with one message naming every problem, each with the setting that fixes it, and
 * nothing has been written anywhere. Other builds are not checked here (local mode supplies its own
 * database, issuer and root key; the Lambda functions get theirs from the SAM template), nor is the
 * build itself.
 */
public class ServeConfigCheck implements ConfigSourceFactory {
  /** The dev issuer's name (src/local DevIssuer): never trusted by a production server. */
  static final String DEV_ISSUER = "https://keyhaven.local/dev";

  /** Local-mode settings that have no meaning in production (a seed file, the data directory). */
  private static final List<String> DEV_ONLY = List.of("kms.seed", "kms.data-dir");

  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    if (ExecutionMode.current() != ExecutionMode.UNSET
        && FunctionScope.current() == FunctionScope.SERVE) {
      List<String> problems =
          problems(name -> Optional.ofNullable(context.getValue(name)).map(ConfigValue::getValue));
      if (!problems.isEmpty()) {
        throw new IllegalStateException(
            "Refusing to start ./kms serve: "
                + problems.size()
                + " configuration problem(s),"
                + " nothing was changed:\n  - "
                + String.join("\n  - ", problems));
      }
    }
    return List.of();
  }

  /**
   * Every problem of a serve configuration, none when it may start.
   *
   * @param config a property's raw value by name, empty when unset
   */
  static List<String> problems(Function<String, Optional<String>> config) {
    List<String> problems = new ArrayList<>();
    database(config, problems);
    identity(config, problems);
    rootOfTrust(config, problems);
    listener(config, problems);
    if (value(config, "kms.audit.operator-accounts").isEmpty()) {
      problems.add(
          "no audit operator account: set KMS_AUDIT_OPERATOR_ACCOUNTS"
              + " (kms.audit.operator-accounts), the accounts whose principals may run"
              + " VerifyAuditTrail");
    }
    for (String name : DEV_ONLY) {
      if (value(config, name).isPresent()) {
        problems.add(
            name
                + " is set ("
                + envName(name)
                + "): a local-mode setting, not for"
                + " ./kms serve; unset it");
      }
    }
    if (isTrue(config, "kms.identity.dev-test-credentials")) {
      problems.add(
          "kms.identity.dev-test-credentials is true (KMS_IDENTITY_DEV_TEST_CREDENTIALS):"
              + " the test/test credentials do not exist in ./kms serve; unset it");
    }
    xksMutualTls(config, problems);
    if (isTrue(config, "kms.bench.floor-endpoint")) {
      problems.add(
          "kms.bench.floor-endpoint is true (KMS_BENCH_FLOOR_ENDPOINT): a benchmark"
              + " setting; unset it");
    }
    return problems;
  }

  private static void database(Function<String, Optional<String>> config, List<String> problems) {
    if (value(config, "quarkus.datasource.reactive.url").isEmpty()) {
      problems.add(
          "no database: set QUARKUS_DATASOURCE_REACTIVE_URL (quarkus.datasource.reactive.url)"
              + " to the external PostgreSQL, e.g. postgresql://db.example:5432/keyhaven");
    }
    if (value(config, "quarkus.datasource.username").isEmpty()
        && value(config, "quarkus.datasource.credentials-provider").isEmpty()
        && value(config, "KMS_DATABASE_SECRET").isEmpty()) {
      problems.add(
          "no database user: set QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD"
              + " (or KMS_DATABASE_PASSWORD_FILE, or KMS_DATABASE_SECRET)");
    }
    for (String variable : ServeEnvironment.SECRET_FILES) {
      value(config, variable)
          .filter(ServeEnvironment::unreadable)
          .ifPresent(
              path ->
                  problems.add(
                      variable
                          + " "
                          + path
                          + ": not readable (a file holding"
                          + " the secret, e.g. a mounted secret)"));
    }
  }

  private static void identity(Function<String, Optional<String>> config, List<String> problems) {
    Optional<String> issuer = value(config, "mp.jwt.verify.issuer");
    if (issuer.isEmpty()) {
      problems.add(
          "no token issuer: set MP_JWT_VERIFY_ISSUER (mp.jwt.verify.issuer) to your OIDC"
              + " issuer, MP_JWT_VERIFY_AUDIENCES and MP_JWT_VERIFY_PUBLICKEY_LOCATION (its JWKS URL)");
    } else if (issuer.get().equals(DEV_ISSUER)) {
      problems.add(
          "mp.jwt.verify.issuer is the local dev issuer "
              + DEV_ISSUER
              + ": ./kms serve trusts only a real issuer");
    }
    if (value(config, "mp.jwt.verify.audiences").isEmpty()) {
      problems.add("no token audience: set MP_JWT_VERIFY_AUDIENCES (mp.jwt.verify.audiences)");
    }
    Optional<String> location = value(config, "mp.jwt.verify.publickey.location");
    if (location.isEmpty() && value(config, "mp.jwt.verify.publickey").isEmpty()) {
      problems.add(
          "no token verification key: set MP_JWT_VERIFY_PUBLICKEY_LOCATION"
              + " (mp.jwt.verify.publickey.location) to the issuer's JWKS URL (or a PEM file)");
    }
    List<String> locations = new ArrayList<>();
    location.ifPresent(locations::add);
    for (String entry : value(config, "kms.identity.additional-issuers").orElse("").split(",")) {
      int bar = entry.indexOf('|');
      if (bar >= 0) {
        locations.add(entry.substring(bar + 1).strip());
      } else if (!entry.isBlank()) {
        problems.add(
            "kms.identity.additional-issuers: '"
                + entry.strip()
                + "' is not"
                + " <issuer>|<JWKS URL>");
      }
    }
    for (String url : locations) {
      if (plainHttpToAnotherHost(url)) {
        problems.add(
            "JWKS location "
                + url
                + " is plain HTTP to another host: the keys that"
                + " authenticate every caller must come over HTTPS (plain HTTP is accepted only on"
                + " loopback)");
      }
    }
  }

  private static void rootOfTrust(
      Function<String, Optional<String>> config, List<String> problems) {
    String root = value(config, "kms.root-of-trust").orElse("secret");
    if (root.equals("pkcs11")) {
      if (value(config, "kms.pkcs11.library").isEmpty()
          || value(config, "kms.pkcs11.pin").isEmpty()) {
        problems.add(
            "kms.root-of-trust is pkcs11 but KMS_PKCS11_LIBRARY or KMS_PKCS11_PIN is unset");
      }
      return;
    }
    if (!root.equals("secret")) {
      return; // the root of trust refuses any other value itself, naming the choices
    }
    if (value(config, "kms.root-key").isPresent()
        || value(config, "KMS_ROOT_KEY_SECRET").isPresent()) {
      return;
    }
    Optional<String> file = value(config, "kms.root-key-file");
    if (file.isEmpty()) {
      problems.add(
          "no root key: set KMS_ROOT_KEY_FILE (a file holding the base64 of 32 random"
              + " bytes: head -c 32 /dev/urandom | base64), KMS_ROOT_KEY, KMS_ROOT_KEY_SECRET, or"
              + " KMS_ROOT_OF_TRUST=pkcs11");
    } else if (!Files.isReadable(Path.of(file.get()))) {
      problems.add(
          "KMS_ROOT_KEY_FILE "
              + file.get()
              + " does not exist or is not readable:"
              + " ./kms serve never creates a root key; create it once (head -c 32 /dev/urandom |"
              + " base64 > file, mode 0600) and keep it with the database's backups");
    }
  }

  private static void listener(Function<String, Optional<String>> config, List<String> problems) {
    boolean pem =
        value(config, "quarkus.http.ssl.certificate.files").isPresent()
            || value(config, "quarkus.http.ssl.certificate.key-files").isPresent();
    boolean pkcs12 = value(config, "quarkus.http.ssl.certificate.key-store-file").isPresent();
    boolean plain = isTrue(config, "kms.serve.plain-http");
    if (!pem && !pkcs12 && !plain) {
      problems.add(
          "no TLS: set KMS_TLS_CERT and KMS_TLS_KEY (PEM) or KMS_TLS_PKCS12, or, behind a"
              + " TLS-terminating proxy, KMS_PLAIN_HTTP=true (kms.serve.plain-http) explicitly");
    }
    if ((pem || pkcs12) && plain) {
      problems.add("both TLS and KMS_PLAIN_HTTP=true are set: choose one");
    }
    if ((pem || pkcs12)
        && !value(config, "quarkus.http.insecure-requests").orElse("enabled").equals("disabled")) {
      problems.add(
          "TLS is configured but the plain-HTTP listener is still open: set"
              + " quarkus.http.insecure-requests=disabled (KMS_TLS_CERT, KMS_TLS_KEY and KMS_TLS_PKCS12 do)");
    }
    boolean forwarded =
        isTrue(config, "quarkus.http.proxy.proxy-address-forwarding")
            && (isTrue(config, "quarkus.http.proxy.allow-x-forwarded")
                || isTrue(config, "quarkus.http.proxy.allow-forwarded"));
    if (forwarded && value(config, "quarkus.http.proxy.trusted-proxies").isEmpty()) {
      problems.add(
          "forwarded client addresses are honoured from any client: set KMS_TRUSTED_PROXIES"
              + " (quarkus.http.proxy.trusted-proxies) to your proxies' addresses, or aws:SourceIp"
              + " is whatever a caller claims");
    }
  }

  /** Mutual TLS on the XKS paths needs a readable CA file and the server's own TLS. */
  private static void xksMutualTls(
      Function<String, Optional<String>> config, List<String> problems) {
    Optional<String> ca = value(config, "kms.xks.mtls.ca-file");
    if (ca.isEmpty()) {
      return;
    }
    if (!Files.isReadable(Path.of(ca.get())) || Files.isDirectory(Path.of(ca.get()))) {
      problems.add(
          "KMS_XKS_MTLS_CA_FILE "
              + ca.get()
              + " (kms.xks.mtls.ca-file) does not exist or is"
              + " not readable: it must be a PEM file of the CA certificate(s) trusted for the XKS"
              + " proxy's client certificates");
    }
    if (isTrue(config, "kms.serve.plain-http")) {
      problems.add(
          "KMS_XKS_MTLS_CA_FILE (kms.xks.mtls.ca-file) needs the server's own TLS: with"
              + " KMS_PLAIN_HTTP=true the TLS-terminating proxy sees the client certificate, not Keyhaven");
    }
  }

  private static boolean plainHttpToAnotherHost(String location) {
    if (!location.toLowerCase(Locale.ROOT).startsWith("http://")) {
      return false;
    }
    try {
      String host = URI.create(location).getHost();
      return host == null || !LOOPBACK.contains(host.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private static boolean isTrue(Function<String, Optional<String>> config, String name) {
    return value(config, name).map(v -> v.equalsIgnoreCase("true")).orElse(false);
  }

  private static Optional<String> value(Function<String, Optional<String>> config, String name) {
    return config.apply(name).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static String envName(String property) {
    return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }
}
