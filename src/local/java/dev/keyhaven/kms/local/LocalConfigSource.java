package dev.keyhaven.kms.local;

import io.quarkus.runtime.ExecutionMode;
import io.quarkus.runtime.LaunchMode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Local mode's configuration: supplies the database URL (starting the embedded PostgreSQL on first
 * use), the dev JWT issuer's public key, issuer and audience, and the root key file — each only
 * where nothing with a higher ordinal (system properties, {@code QUARKUS_*}/{@code KMS_*}
 * environment variables, application.properties) sets it. So an external PostgreSQL is used by
 * setting {@code QUARKUS_DATASOURCE_REACTIVE_URL} and friends.
 *
 * <p>Inactive during the build (augmentation also reads these names), so a build never starts a
 * database.
 */
public class LocalConfigSource implements ConfigSource {
  static final String DB_URL = "quarkus.datasource.reactive.url";
  private static final String DB_USER = "quarkus.datasource.username";
  private static final String DB_PASSWORD = "quarkus.datasource.password";
  private static final String JWT_KEY = "mp.jwt.verify.publickey";
  private static final String JWT_ISSUER = "mp.jwt.verify.issuer";
  private static final String JWT_AUDIENCES = "mp.jwt.verify.audiences";
  private static final String ROOT_KEY_FILE = "kms.root-key-file";
  private static final String TEST_CREDENTIALS = "kms.identity.dev-test-credentials";

  /**
   * A developer's test suite imports many keys in one account within seconds: local mode lets 100
   * GetParametersForImport requests through at once (AWS's rate, 0.25/s, still refills them).
   */
  private static final String IMPORT_BURST = "kms.quotas.get-parameters-for-import-burst";

  private static final Set<String> NAMES =
      Set.of(
          DB_URL,
          DB_USER,
          DB_PASSWORD,
          JWT_KEY,
          JWT_ISSUER,
          JWT_AUDIENCES,
          ROOT_KEY_FILE,
          TEST_CREDENTIALS,
          IMPORT_BURST);

  @Override
  public Set<String> getPropertyNames() {
    return active() ? NAMES : Set.of();
  }

  @Override
  public Map<String, String> getProperties() {
    return Map.of();
  }

  @Override
  public String getValue(String name) {
    if (!NAMES.contains(name) || !active()) {
      return null;
    }
    if (name.equals(DB_PASSWORD) && externalDatabase()) {
      return null; // an external PostgreSQL's password is the operator's to set
    }
    if (name.equals(IMPORT_BURST)) {
      return "100";
    }
    // The local server claims its data directory (lock, free port) before anything reads it.
    Path dataDir =
        LaunchMode.current() == LaunchMode.TEST ? DataDirectory.resolve(true) : LocalStart.once();
    return switch (name) {
      case DB_URL -> EmbeddedDatabase.url(dataDir);
      case DB_USER -> "postgres";
      case DB_PASSWORD -> EmbeddedDatabase.password(dataDir);
      case JWT_KEY ->
          "-----BEGIN PUBLIC KEY-----\n"
              + new DevIssuer(dataDir).publicKeyBase64()
              + "\n-----END PUBLIC KEY-----";
      case JWT_ISSUER -> DevIssuer.ISSUER;
      case JWT_AUDIENCES -> DevIssuer.AUDIENCE;
      case ROOT_KEY_FILE -> dataDir.resolve("root.key").toString();
      case TEST_CREDENTIALS -> "true";
      default -> null;
    };
  }

  @Override
  public int getOrdinal() {
    return 50;
  }

  @Override
  public String getName() {
    return "keyhaven-local";
  }

  /** An external database is configured by a system property or environment variable. */
  private static boolean externalDatabase() {
    return System.getProperty(DB_URL) != null
        || System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL") != null;
  }

  private static boolean active() {
    return ExecutionMode.current() != ExecutionMode.UNSET;
  }
}
