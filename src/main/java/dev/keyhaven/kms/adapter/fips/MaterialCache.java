package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded LRU cache of unwrapped key material, keyed by (key id, version).
 *
 * <p>Material never changes for a version, so an entry cannot be stale; whether a key may be used
 * is decided from the database row on every request, before the cache is consulted. Callers get a
 * copy and wipe it after use, so an evicted entry is wiped at once without racing a user.
 *
 * <p>An entry unused for {@code idle} is wiped at the cache's next use: a key deleted through
 * another instance is never used here again (its row is gone), so its material leaves this
 * instance's memory within {@code idle} and one request, instead of staying until evicted.
 */
final class MaterialCache {
  private record Entry(UUID keyId, int version) {}

  private static final class Cached {
    final SecretBytes material;
    Instant lastUsed;

    Cached(SecretBytes material, Instant lastUsed) {
      this.material = material;
      this.lastUsed = lastUsed;
    }
  }

  private final Clock clock;
  private final Duration idle;
  private final Map<Entry, Cached> entries;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  MaterialCache(int maxEntries, Clock clock, Duration idle) {
    this.clock = clock;
    this.idle = idle;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Entry, Cached> eldest) {
            if (size() > maxEntries) {
              eldest.getValue().material.wipe();
              return true;
            }
            return false;
          }
        };
  }

  /** A copy of the cached material, or null. */
  synchronized SecretBytes get(UUID keyId, int version) {
    Instant now = clock.instant();
    wipeIdle(now);
    Cached cached = entries.get(new Entry(keyId, version));
    if (cached == null) {
      misses.increment();
      return null;
    }
    hits.increment();
    cached.lastUsed = now;
    return SecretBytes.adopt(cached.material.exposeForCrypto().clone());
  }

  /** Caches a copy of {@code material}. */
  synchronized void put(UUID keyId, int version, SecretBytes material) {
    Instant now = clock.instant();
    wipeIdle(now);
    Cached previous =
        entries.put(
            new Entry(keyId, version),
            new Cached(SecretBytes.adopt(material.exposeForCrypto().clone()), now));
    if (previous != null) {
      previous.material.wipe();
    }
  }

  /** Wipes and removes every cached version of {@code keyId}. */
  synchronized void forget(UUID keyId) {
    var it = entries.entrySet().iterator();
    while (it.hasNext()) {
      var entry = it.next();
      if (entry.getKey().keyId().equals(keyId)) {
        entry.getValue().material.wipe();
        it.remove();
      }
    }
  }

  synchronized int size() {
    return entries.size();
  }

  /** Lookups that found their version, so far. */
  long hits() {
    return hits.sum();
  }

  /** Lookups that did not (the material was unwrapped and put here), so far. */
  long misses() {
    return misses.sum();
  }

  /**
   * Wipes the entries unused for {@code idle}. In access order the least recently used come first,
   * so this stops at the first entry still in use: O(entries wiped).
   */
  private void wipeIdle(Instant now) {
    Instant cutoff = now.minus(idle);
    Iterator<Cached> it = entries.values().iterator();
    while (it.hasNext()) {
      Cached cached = it.next();
      if (cached.lastUsed.isAfter(cutoff)) {
        return;
      }
      cached.material.wipe();
      it.remove();
    }
  }
}
