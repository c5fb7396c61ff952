package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.operation.port.DatabaseSetup;
import dev.keyhaven.kms.operation.port.KeyMaterialWrapping;
import dev.keyhaven.kms.operation.port.MaterialFingerprint;
import dev.keyhaven.kms.operation.port.RootOfTrust;
import dev.keyhaven.kms.operation.port.RootOfTrust.StoredRoot;
import dev.keyhaven.kms.operation.port.RowBinding;
import dev.keyhaven.kms.operation.port.SecretWrapping;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
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
  private final SecretWrapping secrets;
  private final RowBinding bindings;
  private final KeyMaterialWrapping wrapping;
  private final MaterialFingerprint fingerprints;
  private final RootOfTrust root;
  private final PgAuditLog audit;
  private final KmsConfig config;
  private final FunctionScope scope = FunctionScope.current();
  private volatile boolean ready;

  DatabaseStartup(
      Pool pool,
      SecretWrapping secrets,
      RowBinding bindings,
      KeyMaterialWrapping wrapping,
      MaterialFingerprint fingerprints,
      RootOfTrust root,
      PgAuditLog audit,
      KmsConfig config) {
    this.pool = pool;
    this.config = config;
    this.secrets = secrets;
    this.bindings = bindings;
    this.wrapping = wrapping;
    this.fingerprints = fingerprints;
    this.root = root;
    this.audit = audit;
  }

  void onStart(@Observes StartupEvent event) {
    if (config.rootKeyMigrate()) {
      migrateRootKey();
      return;
    }
    if (scope.migratesAtStartup()) {
      applyMigrations();
    } else {
      int pending = SchemaMigrator.pending(pool).await().atMost(TIMEOUT);
      if (pending > 0) {
        String message =
            "the database schema is behind this build: "
                + pending
                + " migration(s) pending."
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

  /**
   * {@code ./kms root-key migrate}: the schema is brought up to date, then {@link RootKeyMigration}
   * runs (or resumes) and the process exits 0; any failure fails startup (exit 1).
   */
  private synchronized void migrateRootKey() {
    if (!scope.migratesAtStartup()) {
      throw new IllegalStateException(
          "kms.root-key-migrate is for the server (./kms root-key migrate)");
    }
    applyMigrations();
    String account =
        config
            .audit()
            .operatorAccounts()
            .filter(a -> !a.isEmpty())
            .map(a -> a.get(0))
            .orElse(config.dev().accountId());
    long pauseMillis = config.rootKeyMigrateBatchPause().toMillis();
    new RootKeyMigration(
            pool,
            bindings,
            wrapping,
            fingerprints,
            root,
            audit,
            account,
            config.region(),
            config.rootKeyMigrateBatchSize(),
            batch -> {
              LOG.infof("root-key migration: batch %d committed", batch);
              if (pauseMillis > 0) {
                try {
                  Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException("root-key migration interrupted", e);
                }
              }
            })
        .run();
    ready = true;
    io.quarkus.runtime.Quarkus.asyncExit(0);
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
            AccessKeyRebinding.rebind(conn, secrets)
                .chain(() -> PrincipalPolicyBinding.bindExisting(conn, bindings))
                .chain(() -> GrantBinding.bindExisting(conn, bindings)));
  }

  private synchronized void completeSetup() {
    if (ready) {
      return;
    }
    checkRootKey(pool, root);
    audit.start(TIMEOUT, scope.runsTimers());
    ready = true;
  }

  /**
   * Loads the root of trust from its record, or — on a new installation, under an advisory lock so
   * instances starting together agree — makes the record (for an HSM root: the HSM key if its label
   * is not found, and a fresh sealed domain key). A root other than the configured one, a root-key
   * migration left unfinished, or an HSM that does not open the stored domain key stops startup
   * with a message saying what to do; nothing is written then.
   */
  static void checkRootKey(Pool pool, RootOfTrust root) {
    StoredRootRow stored = read(pool);
    if (stored == null) {
      SqlConnection conn = pool.getConnection().await().atMost(TIMEOUT);
      try {
        conn.query("SELECT pg_advisory_lock(" + ROOT_LOCK_ID + ")")
            .execute()
            .await()
            .atMost(TIMEOUT);
        try {
          stored = read(conn);
          if (stored == null) {
            StoredRoot made = root.initialize();
            conn.preparedQuery(
                    "INSERT INTO root_key_check (id, check_value, created_at, kind,"
                        + " sealed_domain_key, hsm_key_label) VALUES (1, $1, $2, $3, $4, $5)")
                .execute(
                    Tuple.tuple()
                        .addValue(Buffer.buffer(made.check()))
                        .addValue(OffsetDateTime.now())
                        .addValue(made.kind())
                        .addValue(
                            made.sealedDomainKey() == null
                                ? null
                                : Buffer.buffer(made.sealedDomainKey()))
                        .addValue(made.hsmKeyLabel()))
                .await()
                .atMost(TIMEOUT);
            LOG.infof("root of trust created: %s", made.kind());
            return;
          }
        } finally {
          conn.query("SELECT pg_advisory_unlock(" + ROOT_LOCK_ID + ")")
              .execute()
              .await()
              .atMost(TIMEOUT);
        }
      } finally {
        conn.close().await().atMost(TIMEOUT);
      }
    }
    if (stored.targetKind() != null) {
      throw new IllegalStateException(
          "A root-key migration from "
              + stored.root().kind()
              + " to "
              + stored.targetKind()
              + " is unfinished: run ./kms root-key migrate again with the same settings to"
              + " finish it (docs/key-hierarchy.md). Nothing was changed.");
    }
    root.load(stored.root());
  }

  private static final long ROOT_LOCK_ID = 0x6b6d735f726f6f74L; // "kms_root"

  /** The stored root, and the target of a migration in progress (null when none). */
  record StoredRootRow(StoredRoot root, String targetKind) {}

  static StoredRootRow read(SqlClient client) {
    var rows =
        client
            .query(
                "SELECT kind, check_value, sealed_domain_key, hsm_key_label, target_kind"
                    + " FROM root_key_check WHERE id = 1")
            .execute()
            .await()
            .atMost(TIMEOUT);
    if (rows.size() == 0) {
      return null;
    }
    Row row = rows.iterator().next();
    var sealed = row.getBuffer(2);
    return new StoredRootRow(
        new StoredRoot(
            row.getString(0),
            row.getBuffer(1).getBytes(),
            sealed == null ? null : sealed.getBytes(),
            row.getString(3)),
        row.getString(4));
  }
}
