package dev.keyhaven.kms.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The service's clock in @QuarkusTest runs: the system clock plus an offset the test moves, so a
 * test can jump 366 days (rotation) or 8 days (deletion) without sleeping. Replaces the production
 * {@code Clock} bean; every test that moves it calls {@link #reset()} afterwards, because test
 * classes share one application.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  public void advance(Duration by) {
    offset = offset.plus(by);
  }

  public void reset() {
    offset = Duration.ZERO;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the service clock is UTC");
  }
}
