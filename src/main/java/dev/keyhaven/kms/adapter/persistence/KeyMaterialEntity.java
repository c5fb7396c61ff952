package dev.keyhaven.kms.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Row of {@code key_material}: one version of a key's material, wrapped under the root key. */
@Entity
@Table(name = "key_material")
public class KeyMaterialEntity {
  /** AWS KeyMaterialId: 64 hex characters, unique. */
  @Id
  @Column(name = "key_material_id")
  public String keyMaterialId;

  @Column(name = "key_id")
  public UUID keyId;

  public int version;

  /**
   * IV ‖ ciphertext ‖ tag of AES-256-GCM under the root key. Never plaintext. Null once imported
   * material is deleted or expired (V8__import_rotation.sql): the row stays, so only the same
   * material can come back.
   */
  public byte[] wrapped;

  /** Keyed fingerprint of imported material (V8__import_rotation.sql), else null. */
  @Column(name = "import_fingerprint")
  public String importFingerprint;

  /** An asymmetric key's public key (SubjectPublicKeyInfo DER), else null (V6__asymmetric.sql). */
  @Column(name = "public_key")
  public byte[] publicKey;

  /** The rotation date (for version 1, the key's creation). */
  @Column(name = "created_at")
  public Instant createdAt;

  /** AUTOMATIC or ON_DEMAND; null for a key's first material (V5__rotation.sql). */
  @Column(name = "rotation_type")
  public String rotationType;
}
