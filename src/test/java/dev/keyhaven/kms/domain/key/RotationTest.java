package dev.keyhaven.kms.domain.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RotationTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  // AWS KMS API Reference, EnableKeyRotation: the first rotation is one period after enabling.
  @Test
  void enable_fromOff_firstRotationOnePeriodFromNow() {
    Rotation on = Rotation.NONE.enable(NOW, 365);
    assertTrue(on.automatic());
    assertEquals(365, on.periodInDays());
    assertEquals(NOW.plus(Duration.ofDays(365)), on.nextRotationDate());
  }

  @Test
  void enable_whileOn_keepsAnchorAndChangesPeriod() {
    Rotation on = Rotation.NONE.enable(NOW, 365);
    Rotation again = on.enable(NOW.plus(Duration.ofDays(100)), 365);
    assertEquals(on, again);
    Rotation shorter = on.enable(NOW.plus(Duration.ofDays(100)), 90);
    assertEquals(NOW.plus(Duration.ofDays(90)), shorter.nextRotationDate());
  }

  @Test
  void disableThenEnable_restartsTheClock() {
    Rotation on = Rotation.NONE.enable(NOW, 365).disable();
    assertFalse(on.automatic());
    assertNull(on.nextRotationDate());
    Instant later = NOW.plus(Duration.ofDays(200));
    assertEquals(later.plus(Duration.ofDays(365)), on.enable(later, 365).nextRotationDate());
  }

  // RotateKeyOnDemand: "On-demand rotations do not change existing automatic rotation schedules."
  @Test
  void after_onDemand_keepsScheduleAndCounts() {
    Rotation on = Rotation.NONE.enable(NOW, 365);
    Rotation after = on.after(RotationType.ON_DEMAND, NOW.plus(Duration.ofDays(3)));
    assertEquals(on.nextRotationDate(), after.nextRotationDate());
    assertEquals(1, after.onDemandRotations());
  }

  @Test
  void after_automatic_nextDateOnePeriodFromRotation() {
    Instant rotatedAt = NOW.plus(Duration.ofDays(400));
    Rotation after = Rotation.NONE.enable(NOW, 365).after(RotationType.AUTOMATIC, rotatedAt);
    assertEquals(rotatedAt.plus(Duration.ofDays(365)), after.nextRotationDate());
    assertEquals(0, after.onDemandRotations());
  }

  @Test
  void constructor_periodWithoutDate_throws() {
    assertThrows(IllegalArgumentException.class, () -> new Rotation(365, null, 0));
  }
}
