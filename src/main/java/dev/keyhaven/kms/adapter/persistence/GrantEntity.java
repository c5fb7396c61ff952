package dev.keyhaven.kms.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * Row of {@code kms_grant} (V3__grants.sql). {@code operations} holds the GrantOperation wire
 * literals joined by commas; the constraints are JSON objects (null when absent).
 */
@Entity
@Table(name = "kms_grant")
public class GrantEntity {
  @Id
  @Column(name = "grant_id")
  public String grantId;

  @Column(name = "key_id")
  public UUID keyId;

  @Column(name = "key_arn")
  public String keyArn;

  public String name;

  @Column(name = "creation_date")
  public Instant creationDate;

  public String grantee;

  @Column(name = "retiring_principal")
  public String retiringPrincipal;

  @Column(name = "issuing_account")
  public String issuingAccount;

  public String operations;

  @Column(name = "constraint_equals")
  public String constraintEquals;

  @Column(name = "constraint_subset")
  public String constraintSubset;

  /** {@link GrantBinding#mac} of the row (V10__row_binding.sql). */
  public byte[] mac;
}
