package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A bounded LRU cache of unwrapped key material, keyed by (key id, version).
 *
 * <p>Material never changes for a version, so an entry cannot be stale; whether a key may be used
 * is decided from the database row on every request, before the cache is consulted. Callers get a
 * copy and wipe it after use, so an evicted entry is wiped at once without racing a user.
 */
final class MaterialCache {
  private record Entry(UUID keyId, int version) {}

  private final Map<Entry, SecretBytes> entries;

  MaterialCache(int maxEntries) {
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Entry, SecretBytes> eldest) {
            if (size() > maxEntries) {
              eldest.getValue().wipe();
              return true;
            }
            return false;
          }
        };
  }

  /** A copy of the cached material, or null. */
  synchronized SecretBytes get(UUID keyId, int version) {
    SecretBytes cached = entries.get(new Entry(keyId, version));
    return cached == null ? null : SecretBytes.adopt(cached.exposeForCrypto().clone());
  }

  /** Caches a copy of {@code material}. */
  synchronized void put(UUID keyId, int version, SecretBytes material) {
    SecretBytes previous =
        entries.put(new Entry(keyId, version), SecretBytes.adopt(material.exposeForCrypto().clone()));
    if (previous != null) {
      previous.wipe();
    }
  }

  /** Wipes and removes every cached version of {@code keyId}. */
  synchronized void forget(UUID keyId) {
    var it = entries.entrySet().iterator();
    while (it.hasNext()) {
      var entry = it.next();
      if (entry.getKey().keyId().equals(keyId)) {
        entry.getValue().wipe();
        it.remove();
      }
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
