package dev.keyhaven.kms.adapter.identity;

import dev.keyhaven.kms.domain.policy.CallerIdentity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bearer tokens that passed full verification, keyed by the SHA-256 of the token (the token itself
 * is not kept), each until the token's own {@code exp} or {@code maxAge} after it was verified,
 * whichever is first — never longer, and without the clock-skew grace verification allows. A token
 * is a bearer credential with no revocation, so a cached verdict is what re-verifying would give
 * until {@code exp} — unless the issuer's verification keys change: a token signed with a key the
 * issuer withdrew stops authenticating once SmallRye refreshes the JWKS ({@code
 * smallrye.jwt.jwks.refresh-interval}), and {@code maxAge} is that interval, so the cache never
 * outlives the key set it was checked against. Policies, {@code aws:TokenIssueTime} included, are
 * evaluated per request either way. The cache only saves the signature check (≈ 40 µs for RS256,
 * docs/performance.md). Bounded LRU.
 */
public final class VerifiedTokenCache {
  private record Entry(CallerIdentity caller, Instant expiresAt) {}

  private final Clock clock;
  private final Duration maxAge;
  private final Map<ByteBuffer, Entry> entries;

  public VerifiedTokenCache(Clock clock, int maxEntries, Duration maxAge) {
    this.clock = clock;
    this.maxAge = maxAge;
    this.entries =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Entry> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /** The caller a still-valid cached token authenticated, or null. */
  public CallerIdentity get(String token) {
    ByteBuffer key = digest(token);
    synchronized (this) {
      Entry entry = entries.get(key);
      if (entry == null) {
        return null;
      }
      if (!clock.instant().isBefore(entry.expiresAt())) {
        entries.remove(key);
        return null;
      }
      return entry.caller();
    }
  }

  /**
   * Remembers a verified token until {@code expiresAt} (its {@code exp}), at most {@code maxAge}.
   */
  public void put(String token, CallerIdentity caller, Instant expiresAt) {
    ByteBuffer key = digest(token);
    Instant limit = clock.instant().plus(maxAge);
    synchronized (this) {
      entries.put(key, new Entry(caller, expiresAt.isBefore(limit) ? expiresAt : limit));
    }
  }

  private static ByteBuffer digest(String token) {
    return ByteBuffer.wrap(SigningKeyCache.sha256(token.getBytes(StandardCharsets.US_ASCII)));
  }
}
