package dev.keyhaven.kms.domain.crypto;

/**
 * One version of a key's material, encrypted under the root key. This is the only form in which
 * key material is ever stored.
 *
 * @param version the material version (1 for the material CreateKey makes)
 * @param keyMaterialId AWS's KeyMaterialId for this version (64 hex characters, not secret)
 * @param wrapped IV, ciphertext and tag of AES-256-GCM under the root key, with the key id and
 *     version bound as AAD
 */
public record WrappedKeyMaterial(int version, String keyMaterialId, byte[] wrapped) {}
