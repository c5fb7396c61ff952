package dev.keyhaven.kms.operation.port;

import java.util.UUID;

/** The keyed fingerprint kept of imported key material (docs/import.md). */
public interface MaterialFingerprint {

  /**
   * A keyed fingerprint of imported key material (64 hex characters): HMAC-SHA-256 of the key id
   * and {@code material} under a key derived from the root key. It recognises the same material
   * again without storing it and, being keyed, allows no offline guessing of low-entropy material.
   */
  String fingerprint(UUID keyId, byte[] material);
}
