package dev.keyhaven.kms.adapter.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.policy.Credential;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.support.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {
  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);
  private static final CallerIdentity ALICE =
      new CallerIdentity(
          Principal.parse("arn:aws:iam::111122223333:user/alice").orElseThrow(),
          new Credential.Jwt("test", null));

  @BeforeAll
  static void registerProvider() {
    Fips.PROVIDER.getName();
  }

  @Test
  void get_beforeExp_cachedCaller_atOrAfterExp_miss() {
    ManualClock clock = new ManualClock(T0);
    VerifiedTokenCache cache = new VerifiedTokenCache(clock, 10, HOUR);
    cache.put("a.b.c", ALICE, T0.plusSeconds(60));
    assertEquals(ALICE, cache.get("a.b.c"));
    clock.set(T0.plusSeconds(59));
    assertEquals(ALICE, cache.get("a.b.c"));
    clock.set(T0.plusSeconds(60));
    assertNull(cache.get("a.b.c"));
    clock.set(T0);
    assertNull(cache.get("a.b.c"), "an expired entry is dropped, not revived");
  }

  @Test
  void aTokenValidLongerThanTheJwksRefreshInterval_isReverifiedAfterIt() {
    // The issuer may withdraw the token's signing key: after SmallRye's next JWKS refresh the
    // token would no longer verify, so its cached verdict may not outlive that interval.
    ManualClock clock = new ManualClock(T0);
    VerifiedTokenCache cache = new VerifiedTokenCache(clock, 10, HOUR);
    cache.put("a.b.c", ALICE, T0.plus(Duration.ofHours(20)));
    clock.set(T0.plus(HOUR).minusSeconds(1));
    assertEquals(ALICE, cache.get("a.b.c"));
    clock.set(T0.plus(HOUR));
    assertNull(cache.get("a.b.c"));
  }

  @Test
  void get_anyOtherToken_miss() {
    VerifiedTokenCache cache = new VerifiedTokenCache(new ManualClock(T0), 10, HOUR);
    cache.put("a.b.c", ALICE, T0.plusSeconds(60));
    assertNull(cache.get("a.b.d"));
    assertNull(cache.get("a.b.c "));
  }

  @Test
  void put_beyondBound_evictsLeastRecentlyUsed() {
    VerifiedTokenCache cache = new VerifiedTokenCache(new ManualClock(T0), 2, HOUR);
    cache.put("t1", ALICE, T0.plusSeconds(60));
    cache.put("t2", ALICE, T0.plusSeconds(60));
    cache.get("t1");
    cache.put("t3", ALICE, T0.plusSeconds(60));
    assertEquals(ALICE, cache.get("t1"));
    assertNull(cache.get("t2"));
    assertEquals(ALICE, cache.get("t3"));
  }
}
