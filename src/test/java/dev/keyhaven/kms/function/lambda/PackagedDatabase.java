package dev.keyhaven.kms.function.lambda;

import dev.keyhaven.kms.local.DevIssuer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What a deployed function finds around it, for the packaged-artifact tests: a PostgreSQL
 * (embedded, in a temporary directory), a root key, and a JWT issuer whose public key the function
 * is given — all passed as the environment variables the SAM template sets or a deployment would.
 */
public final class PackagedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final DevIssuer issuer;
  private final String rootKey;

  private PackagedDatabase(EmbeddedPostgres postgres, DevIssuer issuer, String rootKey) {
    this.postgres = postgres;
    this.issuer = issuer;
    this.rootKey = rootKey;
  }

  public static PackagedDatabase start() throws IOException {
    Path dir = Files.createTempDirectory("keyhaven-packaged-");
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir.resolve("pg"))
            .setCleanDataDirectory(true)
            .start();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new PackagedDatabase(
        postgres, new DevIssuer(dir), Base64.getEncoder().encodeToString(key));
  }

  /** The function's environment: database, root key, JWT verification. */
  public Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put(
        "QUARKUS_DATASOURCE_REACTIVE_URL",
        "postgresql://localhost:" + postgres.getPort() + "/postgres");
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("KMS_ROOT_KEY", rootKey);
    env.put(
        "MP_JWT_VERIFY_PUBLICKEY",
        "-----BEGIN PUBLIC KEY-----\n" + issuer.publicKeyBase64() + "\n-----END PUBLIC KEY-----");
    env.put("MP_JWT_VERIFY_ISSUER", DevIssuer.ISSUER);
    env.put("MP_JWT_VERIFY_AUDIENCES", DevIssuer.AUDIENCE);
    return env;
  }

  /** A bearer token for {@code principalArn} from the issuer the function trusts. */
  public String token(String principalArn) {
    return issuer.mint(principalArn, Duration.ofHours(1));
  }

  /**
   * Applies the build's migrations as the deploy step would (for the API functions, whose artifacts
   * have no migrate handler; the rotation artifact's test uses its own): every script of {@code
   * db/migration/index.txt} and its {@code schema_version} row, in one transaction.
   */
  public void migrate() throws IOException, SQLException {
    Path dir = Path.of("src/main/resources/db/migration");
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, script text NOT"
                + " NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        for (String script : Files.readAllLines(dir.resolve("index.txt"), StandardCharsets.UTF_8)) {
          if (script.isBlank()) {
            continue;
          }
          s.execute(Files.readString(dir.resolve(script.strip()), StandardCharsets.UTF_8));
          try (PreparedStatement p =
              c.prepareStatement("INSERT INTO schema_version (version, script) VALUES (?, ?)")) {
            p.setInt(1, Integer.parseInt(script.substring(1, script.indexOf("__"))));
            p.setString(2, script.strip());
            p.executeUpdate();
          }
        }
      }
      c.commit();
    }
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
