package dev.keyhaven.kms.domain.key;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request quota per account, as AWS KMS's request quotas (per account and Region; over it,
 * ThrottlingException): a token bucket of {@code burst} requests refilled at {@code perSecond}.
 * Kept in this process's memory: with N instances an account gets up to N times the rate. Bounded
 * to the {@code maxAccounts} most recently seen accounts (an evicted account starts full again).
 */
public final class RequestQuota {
  private static final class Bucket {
    double tokens;
    Instant updated;

    Bucket(double tokens, Instant updated) {
      this.tokens = tokens;
      this.updated = updated;
    }
  }

  private final Clock clock;
  private final double perSecond;
  private final double burst;
  private final Map<String, Bucket> buckets;

  public RequestQuota(Clock clock, double perSecond, int burst, int maxAccounts) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("a quota needs a positive rate and a burst of at least 1");
    }
    this.clock = clock;
    this.perSecond = perSecond;
    this.burst = burst;
    this.buckets =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > maxAccounts;
          }
        };
  }

  /** Takes one request from {@code accountId}'s bucket; false when it is empty (throttle). */
  public synchronized boolean tryAcquire(String accountId) {
    Instant now = clock.instant();
    Bucket bucket = buckets.computeIfAbsent(accountId, a -> new Bucket(burst, now));
    double elapsed = Math.max(0, (now.toEpochMilli() - bucket.updated.toEpochMilli()) / 1000.0);
    bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond);
    bucket.updated = now;
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }
}
