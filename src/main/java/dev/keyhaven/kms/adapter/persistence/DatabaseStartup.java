package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.operation.port.DatabaseSetup;
import dev.keyhaven.kms.operation.port.KeyMaterialCrypto;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Before the service answers anything: apply schema migrations (server only; see {@link
 * DatabaseSetup}), then check that the configured root key is the one this database was created
 * with (a wrong root key stops startup with a clear message and changes nothing), then load the
 * audit signing key.
 */
@ApplicationScoped
public class DatabaseStartup implements DatabaseSetup {
  private static final Logger LOG = Logger.getLogger(DatabaseStartup.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Pool pool;
  private final KeyMaterialCrypto crypto;
  private final PgAuditLog audit;
  private final FunctionScope scope = FunctionScope.current();
  private volatile boolean ready;

  DatabaseStartup(Pool pool, KeyMaterialCrypto crypto, PgAuditLog audit) {
    this.pool = pool;
    this.crypto = crypto;
    this.audit = audit;
  }

  void onStart(@Observes StartupEvent event) {
    if (scope.migratesAtStartup()) {
      applyMigrations();
    } else {
      int pending = SchemaMigrator.pending(pool).await().atMost(TIMEOUT);
      if (pending > 0) {
        String message =
            "the database schema is behind this build: " + pending + " migration(s) pending."
                + " Run the migrate handler (docs/serverless.md) before this function serves.";
        if (scope == FunctionScope.ROTATION) {
          LOG.warn(message + " Setup deferred to the first invocation.");
          return;
        }
        throw new IllegalStateException(message);
      }
    }
    completeSetup();
  }

  /** Gives up the audit chain lease so a restarted instance continues the same chain. */
  void onStop(@Observes ShutdownEvent event) {
    if (ready) {
      try {
        audit.release(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.warnf("audit chain lease not released (it runs out by itself): %s", e.toString());
      }
    }
  }

  @Override
  public int migrate() {
    int applied = applyMigrations();
    completeSetup();
    return applied;
  }

  @Override
  public void ready() {
    if (ready) {
      return;
    }
    int pending = SchemaMigrator.pending(pool).await().atMost(TIMEOUT);
    if (pending > 0) {
      throw new IllegalStateException(
          pending + " schema migration(s) pending: run the migrate handler first");
    }
    completeSetup();
  }

  private int applyMigrations() {
    int applied = SchemaMigrator.migrate(pool, steps()).await().atMost(TIMEOUT);
    LOG.infof("schema migrations applied: %d", applied);
    return applied;
  }

  /**
   * The migrations' Java steps (SchemaMigrator): V10 re-wraps access key secrets and gives each
   * identity policy and grant its MAC.
   */
  private Map<Integer, SchemaMigrator.Step> steps() {
    return Map.of(
        10,
        conn ->
            AccessKeyRebinding.rebind(conn, crypto)
                .chain(() -> PrincipalPolicyBinding.bindExisting(conn, crypto))
                .chain(() -> GrantBinding.bindExisting(conn, crypto)));
  }

  private synchronized void completeSetup() {
    if (ready) {
      return;
    }
    checkRootKey(pool, crypto);
    audit.start(TIMEOUT, scope.runsTimers());
    ready = true;
  }

  static void checkRootKey(Pool pool, KeyMaterialCrypto crypto) {
    var rows =
        pool.query("SELECT check_value FROM root_key_check WHERE id = 1")
            .execute()
            .await()
            .atMost(TIMEOUT);
    if (rows.size() == 0) {
      pool.preparedQuery(
              "INSERT INTO root_key_check (id, check_value, created_at) VALUES (1, $1, $2)"
                  + " ON CONFLICT (id) DO NOTHING")
          .execute(Tuple.of(Buffer.buffer(crypto.newRootKeyCheck()), OffsetDateTime.now()))
          .await()
          .atMost(TIMEOUT);
      // Re-read: another instance may have won the insert.
      checkRootKey(pool, crypto);
      return;
    }
    byte[] stored = rows.iterator().next().getBuffer(0).getBytes();
    if (!crypto.matchesRootKeyCheck(stored)) {
      throw new IllegalStateException(
          "The configured root key is not the one this database was created with: its key"
              + " material cannot be unwrapped. Configure the original root key (KMS_ROOT_KEY or"
              + " the root key file). Nothing was changed.");
    }
  }
}
