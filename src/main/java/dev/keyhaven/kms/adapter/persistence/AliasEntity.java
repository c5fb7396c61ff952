package dev.keyhaven.kms.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Row of {@code kms_alias}. The alias ARN is the identity: unique per account and region. */
@Entity
@Table(name = "kms_alias")
public class AliasEntity {
  @Id
  @Column(name = "alias_arn")
  public String aliasArn;

  @Column(name = "account_id")
  public String accountId;

  public String region;

  @Column(name = "alias_name")
  public String aliasName;

  @Column(name = "target_key_id")
  public UUID targetKeyId;

  @Column(name = "creation_date")
  public Instant creationDate;

  @Column(name = "last_updated_date")
  public Instant lastUpdatedDate;
}
