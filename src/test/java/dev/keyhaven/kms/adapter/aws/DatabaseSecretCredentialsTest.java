package dev.keyhaven.kms.adapter.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyhaven.kms.support.ManualClock;
import io.quarkus.credentials.CredentialsProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link DatabaseSecretCredentials}: the pool asks it at every new connection; it reads the secret
 * at most once per refresh interval, and again at the first connection after a snapshot restore, so
 * a restored copy uses the password of that moment.
 */
class DatabaseSecretCredentialsTest {
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger forgets = new AtomicInteger();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));

  private final DatabaseSecretCredentials credentials =
      new DatabaseSecretCredentials(
          () ->
              Map.of(
                  CredentialsProvider.USER_PROPERTY_NAME,
                  "keyhaven",
                  CredentialsProvider.PASSWORD_PROPERTY_NAME,
                  "pw-" + reads.incrementAndGet()),
          forgets::incrementAndGet,
          Duration.ofMinutes(5),
          clock);

  private String password() {
    return credentials
        .getCredentialsAsync(DatabaseSecretCredentials.NAME)
        .await()
        .atMost(Duration.ofSeconds(10))
        .get(CredentialsProvider.PASSWORD_PROPERTY_NAME);
  }

  @Test
  void manyConnections_withinTheRefreshInterval_oneRead() {
    for (int i = 0; i < 20; i++) {
      assertEquals("pw-1", password());
    }
    clock.advance(Duration.ofMinutes(4));
    assertEquals("pw-1", password());
    assertEquals(1, reads.get());
  }

  @Test
  void afterTheRefreshInterval_theNextConnectionReadsTheSecretAgain() {
    assertEquals("pw-1", password());
    clock.advance(Duration.ofMinutes(5));
    assertEquals("pw-2", password(), "a rotated password is picked up");
    assertEquals(
        "pw-2",
        credentials
            .getCredentials(DatabaseSecretCredentials.NAME)
            .get(CredentialsProvider.PASSWORD_PROPERTY_NAME));
  }

  @Test
  void afterARestore_theNextConnectionReadsTheSecretAgain_underNewAwsCredentials() {
    assertEquals("pw-1", password());
    credentials.beforeCheckpoint(null);
    assertEquals("pw-1", password(), "nothing is dropped before the snapshot");
    credentials.afterRestore(null); // the same instant: only the restore makes it read again
    assertEquals(1, forgets.get());
    assertEquals("pw-2", password());
    assertEquals(2, reads.get());
  }
}
