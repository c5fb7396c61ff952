package dev.keyhaven.kms.domain.key;

import java.time.Instant;

/**
 * One version of a key's material as ListKeyRotations describes it (no material here: that stays
 * wrapped in the repository).
 *
 * @param version 1 for the key's first material, then one more per rotation
 * @param keyMaterialId AWS's KeyMaterialId (64 hex characters)
 * @param rotationType how the version was made; null for the first material
 * @param createdAt the rotation date (for the first material, the key's creation)
 */
public record KeyMaterialVersion(
    int version, String keyMaterialId, RotationType rotationType, Instant createdAt) {}
