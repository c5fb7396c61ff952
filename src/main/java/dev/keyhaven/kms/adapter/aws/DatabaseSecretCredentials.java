package dev.keyhaven.kms.adapter.aws;

import io.quarkus.arc.Unremovable;
import io.quarkus.credentials.CredentialsProvider;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Resource;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The database user and password from the Secrets Manager secret {@code KMS_DATABASE_SECRET}
 * ({@code {"username", "password"}}, the shape RDS manages), for the reactive pool, which asks for
 * credentials each time it opens a connection ({@code quarkus.datasource.credentials-provider}, set
 * by {@link AwsSecretsConfigSource} when the variable is set).
 *
 * <p>Contract: the secret is read at most once per {@code kms.database-secret-refresh} (default 5
 * min), and again at the first connection after a snapshot restore ({@link #afterRestore}), so a
 * connection opened by a copy restored days after its snapshot, or after the secret's rotation,
 * uses the secret's value of that moment. Connections already open keep theirs (PostgreSQL checks a
 * password only at connect); with a single-user rotation a new connection can fail for up to the
 * refresh interval, which AWS's alternating-users rotation strategy avoids (docs/serverless.md).
 * The read runs on a worker thread, never on an event loop.
 */
@ApplicationScoped
@Named(DatabaseSecretCredentials.NAME)
@Unremovable
public class DatabaseSecretCredentials implements CredentialsProvider, Resource {
  public static final String NAME = "keyhaven-database-secret";

  private final Supplier<Map<String, String>> read;
  private final Runnable forgetCredentials;
  private final Duration refresh;
  private final Clock clock;

  /** The last read and its time, published together; null until the first read. */
  private volatile Read current;

  private record Read(Map<String, String> values, Instant at) {}

  DatabaseSecretCredentials() {
    this(
        new Lazy(),
        ConfigProvider.getConfig()
            .getOptionalValue("kms.database-secret-refresh", Duration.class)
            .orElse(Duration.ofMinutes(5)),
        Clock.systemUTC());
  }

  private DatabaseSecretCredentials(Lazy secrets, Duration refresh, Clock clock) {
    this(secrets::read, secrets::forget, refresh, clock);
  }

  /**
   * With {@code read} answering the secret's user and password, and {@code forgetCredentials}
   * dropping any AWS credentials it holds.
   */
  DatabaseSecretCredentials(
      Supplier<Map<String, String>> read,
      Runnable forgetCredentials,
      Duration refresh,
      Clock clock) {
    this.read = read;
    this.forgetCredentials = forgetCredentials;
    this.refresh = refresh;
    this.clock = clock;
  }

  /** The secret of {@code KMS_DATABASE_SECRET} through {@link AwsSecrets}, made at first use. */
  private static final class Lazy {
    private AwsSecrets secrets;

    synchronized Map<String, String> read() {
      if (secrets == null) {
        secrets = AwsSecrets.fromEnvironment();
      }
      String reference = System.getenv(AwsSecretsConfigSource.DATABASE_SECRET);
      if (reference == null || reference.isBlank()) {
        throw new IllegalStateException(
            AwsSecretsConfigSource.DATABASE_SECRET + " is not set: no database secret to read");
      }
      String secret = secrets.read(reference);
      return Map.of(
          USER_PROPERTY_NAME, AwsSecrets.member(reference, secret, "username"),
          PASSWORD_PROPERTY_NAME, AwsSecrets.member(reference, secret, "password"));
    }

    synchronized void forget() {
      if (secrets != null) {
        secrets.forgetCredentials();
      }
    }
  }

  @Override
  public Map<String, String> getCredentials(String credentialsProviderName) {
    Map<String, String> fresh = fresh();
    return fresh != null ? fresh : reread();
  }

  @Override
  public Uni<Map<String, String>> getCredentialsAsync(String credentialsProviderName) {
    Map<String, String> fresh = fresh();
    return fresh != null
        ? Uni.createFrom().item(fresh)
        : Uni.createFrom()
            .item(this::reread)
            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  /** The last read's values if it is younger than the refresh interval, else null. */
  private Map<String, String> fresh() {
    Read last = current;
    return last != null && clock.instant().isBefore(last.at().plus(refresh)) ? last.values() : null;
  }

  private synchronized Map<String, String> reread() {
    Map<String, String> fresh = fresh();
    if (fresh != null) {
      return fresh; // another thread read it meanwhile
    }
    Read read = new Read(this.read.get(), clock.instant());
    current = read;
    return read.values();
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    // nothing: the value read during init is not reused after a restore
  }

  /** A restored copy reads the secret again, under credentials of its own. */
  @Override
  public synchronized void afterRestore(Context<? extends Resource> context) {
    current = null;
    forgetCredentials.run();
  }
}
