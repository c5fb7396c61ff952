package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.adapter.fips.FipsKeyMaterialCrypto;
import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.operation.port.RootOfTrust;
import dev.keyhaven.kms.support.SoftHsm;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Roots of trust for the HSM tests: the production crypto class over the test configuration with
 * some settings replaced (as a separate process would be configured), and fresh databases — a new
 * schema of the test PostgreSQL, migrated to the current version.
 */
final class RootFixtures {
  private RootFixtures() {}

  /**
   * kms.pkcs11.* on one SoftHSM token and {@code label}; the root of trust is the HSM, or with
   * {@code secret} (base64) that secret root key (the HSM settings then name a migration's source).
   */
  static Function<String, Object> hsm(String token, String label, String secret) {
    KmsConfig.Pkcs11 pkcs11 =
        new KmsConfig.Pkcs11() {
          public Optional<String> library() {
            return Optional.of(SoftHsm.library());
          }

          public Optional<Long> slot() {
            return Optional.of(SoftHsm.slot(token));
          }

          public int slotListIndex() {
            return 0;
          }

          public Optional<String> pin() {
            return Optional.of(SoftHsm.PIN);
          }

          public String keyLabel() {
            return label;
          }

          public String mechanism() {
            return "AES_GCM";
          }
        };
    return name ->
        switch (name) {
          case "rootOfTrust" -> secret == null ? RootOfTrust.PKCS11 : RootOfTrust.SECRET;
          case "rootKey" -> secret == null ? null : Optional.of(secret);
          case "pkcs11" -> pkcs11;
          default -> null;
        };
  }

  /** {@link FipsKeyMaterialCrypto} over {@code config} with {@code overrides} (null: config's). */
  static FipsKeyMaterialCrypto crypto(KmsConfig config, Function<String, Object> overrides)
      throws Exception {
    KmsConfig override =
        (KmsConfig)
            Proxy.newProxyInstance(
                KmsConfig.class.getClassLoader(),
                new Class<?>[] {KmsConfig.class},
                (proxy, method, args) -> {
                  Object value = overrides.apply(method.getName());
                  return value != null ? value : method.invoke(config, args);
                });
    var constructor =
        FipsKeyMaterialCrypto.class.getDeclaredConstructor(KmsConfig.class, Clock.class);
    constructor.setAccessible(true);
    try {
      return constructor.newInstance(override, Clock.systemUTC());
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  /** A pool on a new schema of the test database; {@link #close} drops it. */
  record FreshDatabase(Pool test, String schema, Pool pool) implements AutoCloseable {
    static FreshDatabase create(Pool test, AuditWriters writers, Vertx vertx) {
      String schema = "root_" + UUID.randomUUID().toString().replace("-", "");
      test.query("CREATE SCHEMA " + schema).execute().await().indefinitely();
      PgConnectOptions options = writers.connectOptions();
      options.setProperties(Map.of("search_path", schema));
      Pool pool =
          Pool.pool(
              io.vertx.mutiny.core.Vertx.newInstance(vertx),
              options,
              new PoolOptions().setMaxSize(4));
      SchemaMigrator.migrate(pool, Map.of()).await().indefinitely();
      return new FreshDatabase(test, schema, pool);
    }

    @Override
    public void close() {
      pool.close().await().indefinitely();
      test.query("DROP SCHEMA " + schema + " CASCADE").execute().await().indefinitely();
    }
  }
}
