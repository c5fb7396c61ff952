package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.operation.port.CachedReads;
import dev.keyhaven.kms.operation.port.ServiceMetrics;
import dev.keyhaven.kms.operation.port.StateCache;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The hot-state cache (issue 15, item 3; docs/performance.md, "Hot state"): rows every request
 * reads, kept per <em>scope</em> with the scope's version from {@code state_version} (schema V11),
 * which triggers bump in every transaction that changes the scope's rows.
 *
 * <p>Scopes: {@code k:<key id>} (the key row and its material versions), {@code a:<alias arn>},
 * {@code p:<principal arn>} (an identity policy, or its absence), {@code c:<access key id>}. A
 * scope's items are all from one version: an item loaded at a newer version replaces the scope.
 *
 * <p>Only an attempt that {@link #begin began} non-fresh on the request's context answers from
 * here, and each answer is recorded in its {@link CachedReads}; {@link PgAuditLog} checks those
 * versions in the transaction of the audit event. Reads outside an attempt, and fresh attempts, go
 * to the database and refresh the cache.
 */
@ApplicationScoped
public class HotState implements StateCache, ServiceMetrics.Readings {
  private static final String ATTEMPT = HotState.class.getName();

  /** A value read together with its scope's version (0: the scope never changed). */
  record Versioned<T>(long version, T value) {}

  private static final class Scope {
    final long version;
    final Map<String, Object> items = new HashMap<>(4);

    Scope(long version) {
      this.version = version;
    }
  }

  private final int maxScopes;
  private final Map<String, Scope> scopes;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder reevaluated = new LongAdder();

  HotState(KmsConfig config) {
    this.maxScopes = config.stateCacheMaxScopes();
    this.scopes =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Scope> eldest) {
            return size() > maxScopes;
          }
        };
  }

  @Override
  public CachedReads begin(boolean fresh) {
    CachedReads reads = fresh || maxScopes == 0 ? CachedReads.NONE : new CachedReads(false);
    if (VertxContext.isOnDuplicatedContext()) {
      ContextLocals.put(ATTEMPT, reads);
      return reads;
    }
    return CachedReads.NONE;
  }

  @Override
  public void invalidateAll() {
    synchronized (scopes) {
      scopes.clear();
    }
  }

  /** Reads answered from the cache so far. */
  long hits() {
    return hits.sum();
  }

  /** Reads an attempt could have answered from the cache but had to load, so far. */
  long misses() {
    return misses.sum();
  }

  @Override
  public List<Reading> readings() {
    return List.of(
        Reading.counter(
            "kms.state.cache.hits", "Hot-state reads answered from the cache", this::hits),
        Reading.counter(
            "kms.state.cache.misses",
            "Hot-state reads that could have come from the cache but were loaded",
            this::misses),
        Reading.counter(
            "kms.state.cache.reevaluated",
            "Answers whose cached state moved before their event was written, evaluated again",
            this::reevaluated),
        Reading.gauge(
            "kms.state.cache.scopes",
            "Scopes (keys, aliases, principals, access keys) in the hot-state cache",
            () -> {
              synchronized (scopes) {
                return scopes.size();
              }
            }));
  }

  /** Answers whose relied-on versions had moved, left unwritten and evaluated again, so far. */
  long reevaluated() {
    return reevaluated.sum();
  }

  /** Drops the scopes whose versions moved, under which {@code requests} answers relied. */
  void moved(Collection<String> stale, int requests) {
    reevaluated.add(requests);
    synchronized (scopes) {
      stale.forEach(scopes::remove);
    }
  }

  /**
   * {@code item} of {@code scope}: from the cache when the current attempt allows it (recording the
   * version relied on), else from {@code load} — one statement that reads the item and its scope's
   * version in one snapshot — which refreshes the cache. A value for which {@code cacheable} is
   * false (e.g. a row not found) is returned but not kept.
   */
  @SuppressWarnings("unchecked")
  <T> Uni<T> read(
      String scope,
      String item,
      Supplier<Uni<Versioned<T>>> load,
      java.util.function.Predicate<T> cacheable) {
    CachedReads attempt = attempt();
    if (attempt != null && !attempt.fresh()) {
      Object hit = null;
      long version = 0;
      synchronized (scopes) {
        Scope s = scopes.get(scope);
        if (s != null && s.items.containsKey(item)) {
          hit = s.items.get(item);
          version = s.version;
        }
      }
      if (hit != null) {
        hits.increment();
        attempt.relyOn(scope, version);
        return Uni.createFrom().item((T) hit);
      }
      misses.increment();
    }
    return load.get()
        .map(
            loaded -> {
              if (maxScopes > 0 && loaded.value() != null && cacheable.test(loaded.value())) {
                put(scope, item, loaded);
              }
              return loaded.value();
            });
  }

  private void put(String scope, String item, Versioned<?> loaded) {
    synchronized (scopes) {
      Scope s = scopes.get(scope);
      if (s == null || s.version < loaded.version()) {
        s = new Scope(loaded.version());
        scopes.put(scope, s);
      } else if (s.version > loaded.version()) {
        return; // an older snapshot than what is cached
      }
      s.items.put(item, loaded.value());
    }
  }

  private static CachedReads attempt() {
    return VertxContext.isOnDuplicatedContext() ? ContextLocals.get(ATTEMPT, null) : null;
  }
}
