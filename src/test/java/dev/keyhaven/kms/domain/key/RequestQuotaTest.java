package dev.keyhaven.kms.domain.key;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestQuotaTest {
  private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

  @Test
  void burstThenRate_perAccount_andBoundedAccounts() {
    ManualClock moving = new ManualClock(T0);
    RequestQuota quota = new RequestQuota(moving, 0.25, 3, 2);
    for (int i = 0; i < 3; i++) {
      assertTrue(quota.tryAcquire("a"));
    }
    assertFalse(quota.tryAcquire("a"), "the burst is spent");
    assertTrue(quota.tryAcquire("b"), "another account has its own bucket");
    moving.advance(Duration.ofMillis(3999));
    assertFalse(quota.tryAcquire("a"), "less than one request refilled");
    moving.advance(Duration.ofMillis(1));
    assertTrue(quota.tryAcquire("a"), "one per 4 seconds at 0.25 per second");
    assertFalse(quota.tryAcquire("a"));
    moving.advance(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      assertTrue(quota.tryAcquire("a"), "refilled to the burst, not beyond");
    }
    assertFalse(quota.tryAcquire("a"));
    assertThrows(IllegalArgumentException.class, () -> new RequestQuota(moving, 0, 3, 2));
  }
}
