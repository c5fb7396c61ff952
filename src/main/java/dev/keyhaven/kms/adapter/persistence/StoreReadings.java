package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.config.FunctionScope;
import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.key.KeyState;
import dev.keyhaven.kms.operation.port.ServiceMetrics;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The database's readings for the metrics (docs/self-hosting.md): the connection pool's size and
 * bound, and the number of keys in each state. Keys are counted by one {@code GROUP BY} query every
 * {@code kms.operations.key-count-interval} in the server (never per request or per scrape); the
 * functions run no timer and report no key counts.
 */
@ApplicationScoped
public class StoreReadings implements ServiceMetrics.Readings {
  private static final Logger LOG = Logger.getLogger(StoreReadings.class);

  private final Pool pool;
  private final int maxSize;
  private final KmsConfig config;

  /** The last count per state; replaced whole, so a scrape never sees half a refresh. */
  private volatile Map<KeyState, Long> keys = new EnumMap<>(KeyState.class);

  StoreReadings(
      Pool pool,
      KmsConfig config,
      @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20")
          int maxSize) {
    this.pool = pool;
    this.config = config;
    this.maxSize = maxSize;
  }

  /** After DatabaseStartup (default priority) has migrated the schema. */
  void onStart(@Observes @Priority(5000) StartupEvent event, Vertx vertx) {
    if (!FunctionScope.current().runsTimers()) {
      return;
    }
    countKeys();
    vertx.setPeriodic(config.operations().keyCountInterval().toMillis(), id -> countKeys());
  }

  /** Counts keys by state now (the timer's work; tests call it to skip the wait). */
  void countKeys() {
    pool.query("SELECT key_state, count(*) FROM kms_key GROUP BY key_state")
        .execute()
        .subscribe()
        .with(
            rows -> {
              Map<KeyState, Long> counted = new EnumMap<>(KeyState.class);
              rows.forEach(r -> counted.put(KeyState.valueOf(r.getString(0)), r.getLong(1)));
              keys = counted;
            },
            failure -> LOG.debugf("keys not counted: %s", failure.toString()));
  }

  @Override
  public List<Reading> readings() {
    List<Reading> readings = new ArrayList<>();
    readings.add(
        Reading.gauge(
            "kms.db.pool.connections", "Open connections in the PostgreSQL pool", pool::size));
    readings.add(
        Reading.gauge(
            "kms.db.pool.max",
            "The PostgreSQL pool's bound (quarkus.datasource.reactive.max-size)",
            () -> maxSize));
    if (FunctionScope.current().runsTimers()) {
      for (KeyState state : KeyState.values()) {
        readings.add(
            new Reading(
                "kms.keys",
                "Keys by state, counted every kms.operations.key-count-interval",
                false,
                Map.of("state", state.wireName()),
                () -> keys.getOrDefault(state, 0L)));
      }
    }
    return readings;
  }
}
