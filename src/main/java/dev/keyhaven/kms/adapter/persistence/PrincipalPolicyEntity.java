package dev.keyhaven.kms.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Row of {@code principal_policy} (V2__identity.sql). */
@Entity
@Table(name = "principal_policy")
public class PrincipalPolicyEntity {
  @Id
  @Column(name = "principal_arn")
  public String principalArn;

  @Column(name = "account_id")
  public String accountId;

  public String policy;

  @Column(name = "update_date")
  public Instant updateDate;

  /** {@link PrincipalPolicyBinding#mac} of the row (V10__row_binding.sql). */
  public byte[] mac;
}
