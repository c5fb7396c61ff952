package dev.keyhaven.kms.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Row of {@code access_key} (V2__identity.sql). The secret is wrapped under the root key. */
@Entity
@Table(name = "access_key")
public class AccessKeyEntity {
  @Id
  @Column(name = "access_key_id")
  public String accessKeyId;

  @Column(name = "account_id")
  public String accountId;

  @Column(name = "principal_arn")
  public String principalArn;

  @Column(name = "wrapped_secret")
  public byte[] wrappedSecret;

  @Column(name = "create_date")
  public Instant createDate;
}
