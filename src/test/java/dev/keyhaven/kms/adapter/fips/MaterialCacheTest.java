package dev.keyhaven.kms.adapter.fips;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.support.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Material leaves memory once unused for the idle time, at the cache's next use — the material of a
 * key deleted through another instance included, which this instance never uses again.
 */
class MaterialCacheTest {
  @Test
  void unusedForTheIdleTime_wipedAtTheNextUse_whileUsedEntriesStay() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-07T00:00:00Z"));
    MaterialCache cache = new MaterialCache(100, clock, Duration.ofMinutes(5));
    UUID deleted = UUID.randomUUID();
    UUID busy = UUID.randomUUID();
    cache.put(deleted, 1, SecretBytes.adopt(new byte[] {1, 2, 3}));
    cache.put(busy, 1, SecretBytes.adopt(new byte[] {4, 5, 6}));
    for (int minute = 1; minute <= 6; minute++) {
      clock.advance(Duration.ofMinutes(1));
      assertNotNull(cache.get(busy, 1), "in use: kept");
    }
    assertEquals(1, cache.size(), "the entry unused for 5 minutes is gone");
    assertNull(cache.get(deleted, 1));
    assertArrayEquals(new byte[] {4, 5, 6}, cache.get(busy, 1).exposeForCrypto());
  }

  @Test
  void beyondTheBound_leastRecentlyUsedEvicted() {
    MaterialCache cache =
        new MaterialCache(2, new ManualClock(Instant.EPOCH), Duration.ofMinutes(5));
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    cache.put(a, 1, SecretBytes.adopt(new byte[] {1}));
    cache.put(b, 1, SecretBytes.adopt(new byte[] {2}));
    cache.get(a, 1);
    cache.put(c, 1, SecretBytes.adopt(new byte[] {3}));
    assertNotNull(cache.get(a, 1));
    assertNull(cache.get(b, 1));
    assertNotNull(cache.get(c, 1));
  }
}
