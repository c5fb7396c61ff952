package dev.keyhaven.kms.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** Row of {@code kms_key}: one KMS key's metadata (V1__keys.sql, V5__rotation.sql). */
@Entity
@Table(name = "kms_key")
public class KeyEntity {
  @Id
  @Column(name = "key_id")
  public UUID keyId;

  @Column(name = "account_id")
  public String accountId;

  public String region;

  @Column(name = "key_spec")
  public String keySpec;

  @Column(name = "key_usage")
  public String keyUsage;

  public String origin;

  @Column(name = "key_state")
  public String keyState;

  public String description;

  @Column(name = "creation_date")
  public Instant creationDate;

  @Column(name = "deletion_date")
  public Instant deletionDate;

  @Column(name = "pending_window_days")
  public Integer pendingWindowDays;

  @Column(name = "current_version")
  public int currentVersion;

  @Column(name = "current_key_material_id")
  public String currentKeyMaterialId;

  /** Automatic rotation period; null while automatic rotation is off (V5__rotation.sql). */
  @Column(name = "rotation_period_days")
  public Integer rotationPeriodDays;

  /** When the maintenance job rotates next; null while automatic rotation is off. */
  @Column(name = "next_rotation_date")
  public Instant nextRotationDate;

  @Column(name = "on_demand_rotations")
  public int onDemandRotations;

  public String policy;

  /** Imported material (V7__import.sql): keyed fingerprint of the first material imported. */
  @Column(name = "import_fingerprint")
  public String importFingerprint;

  /** KEY_MATERIAL_EXPIRES or KEY_MATERIAL_DOES_NOT_EXPIRE while imported material is present. */
  @Column(name = "expiration_model")
  public String expirationModel;

  /** When imported material expires (the maintenance job deletes it then). */
  @Column(name = "valid_to")
  public Instant validTo;

  /** Tags as a JSON object (at most 50 pairs). */
  public String tags;

  /** Optimistic-lock counter (Hibernate increments it on every update). */
  @Version public long revision;
}
