package dev.keyhaven.kms.domain.key;

import java.time.Instant;

/**
 * One version of a key's material as ListKeyRotations describes it (no material here: that stays
 * wrapped in the repository).
 *
 * @param version 1 for the key's first material, then one more per rotation; for an EXTERNAL key,
 *     the version after the current one is imported material pending rotation
 * @param keyMaterialId AWS's KeyMaterialId (64 hex characters)
 * @param rotationType how the version was made; null for the first material and for material
 *     pending rotation
 * @param createdAt the rotation date (for the first material, the key's creation)
 * @param imported whether the material is held now (false: imported material deleted or expired,
 *     ImportState PENDING_IMPORT)
 * @param importFingerprint keyed fingerprint of imported material, else null (for the first
 *     material of keys imported before schema v8 it is on the key, {@link ImportState})
 */
public record KeyMaterialVersion(
    int version,
    String keyMaterialId,
    RotationType rotationType,
    Instant createdAt,
    boolean imported,
    String importFingerprint) {}
