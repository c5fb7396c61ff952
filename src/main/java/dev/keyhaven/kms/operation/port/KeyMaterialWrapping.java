package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import java.util.UUID;

/**
 * Versions of key material under the root key, and the in-memory cache of unwrapped versions
 * (docs/key-hierarchy.md).
 *
 * <p>Security guarantees: key material leaves this interface only wrapped under the root key (AES-
 * 256-GCM, key id and version bound as AAD, so wrapped bytes open only as the version they were
 * made for). Material never changes for a version, so the cache cannot go stale.
 */
public interface KeyMaterialWrapping {

  /** Wraps one version of material under the root key, binding key id and version. */
  WrappedKeyMaterial wrap(UUID keyId, int version, String keyMaterialId, SecretBytes material);

  /**
   * A copy of the cached plaintext material of a version, or null if it is not cached. The caller
   * wipes it after use.
   */
  SecretBytes cachedMaterial(UUID keyId, int version);

  /**
   * The plaintext material of a stored version. May come from a bounded in-memory cache keyed by
   * (key id, version); material never changes for a version, so the cache cannot go stale.
   */
  SecretBytes unwrap(UUID keyId, WrappedKeyMaterial wrapped);

  /**
   * Wipes and drops every cached plaintext version of the key's material (called once the key is
   * deleted; other instances' caches age out, and no request reaches them: the key row is gone).
   */
  void forget(UUID keyId);
}
