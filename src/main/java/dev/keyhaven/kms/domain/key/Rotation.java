package dev.keyhaven.kms.domain.key;

import java.time.Duration;
import java.time.Instant;

/**
 * A key's rotation settings: the automatic schedule (absent when automatic rotation is off) and how
 * many on-demand rotations it has had.
 *
 * <p>AWS KMS API Reference, EnableKeyRotation RotationPeriodInDays: "the number of days after you
 * enable automatic key rotation that KMS will rotate your key material, and the number of days
 * between each automatic rotation thereafter". RotateKeyOnDemand: "On-demand rotations do not
 * change existing automatic rotation schedules."
 *
 * @param periodInDays the automatic rotation period, null when automatic rotation is off
 * @param nextRotationDate when the maintenance job rotates next, null when automatic rotation is
 *     off
 * @param onDemandRotations completed on-demand rotations (AWS allows 25 per key)
 */
public record Rotation(Integer periodInDays, Instant nextRotationDate, int onDemandRotations) {
  /** A new key: no automatic rotation, no on-demand rotation yet. */
  public static final Rotation NONE = new Rotation(null, null, 0);

  public Rotation {
    if ((periodInDays == null) != (nextRotationDate == null)) {
      throw new IllegalArgumentException("period and next rotation date go together");
    }
  }

  /** Whether automatic rotation is configured (it is suspended while the key is not Enabled). */
  public boolean automatic() {
    return periodInDays != null;
  }

  /**
   * EnableKeyRotation. Turning it on starts the clock: the first rotation is one period from now.
   * Calling it again while it is on changes only the period and keeps the schedule's anchor (the
   * last automatic rotation or the day it was enabled), so a repeated call (e.g. from
   * infrastructure-as-code on every deploy) never postpones a rotation; AWS does not document this
   * case. A next date already past is rotated by the next maintenance run.
   */
  public Rotation enable(Instant now, int days) {
    Instant anchor = automatic() ? nextRotationDate.minus(Duration.ofDays(periodInDays)) : now;
    return new Rotation(days, anchor.plus(Duration.ofDays(days)), onDemandRotations);
  }

  /** DisableKeyRotation: the schedule is dropped; the on-demand count stays. */
  public Rotation disable() {
    return new Rotation(null, null, onDemandRotations);
  }

  /** After a rotation of {@code type} at {@code now}. */
  public Rotation after(RotationType type, Instant now) {
    return type == RotationType.ON_DEMAND
        ? new Rotation(periodInDays, nextRotationDate, onDemandRotations + 1)
        : new Rotation(periodInDays, now.plus(Duration.ofDays(periodInDays)), onDemandRotations);
  }
}
