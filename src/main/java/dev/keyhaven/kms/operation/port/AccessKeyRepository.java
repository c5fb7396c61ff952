package dev.keyhaven.kms.operation.port;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Access keys for SigV4, bound to a principal ARN; the secret is stored wrapped only. */
public interface AccessKeyRepository {

  /** One access key as stored: the secret only in its wrapped form. */
  record StoredAccessKey(
      String accessKeyId,
      String accountId,
      String principalArn,
      byte[] wrappedSecret,
      Instant createDate) {

    /**
     * The AAD purpose an access key's secret is wrapped under ({@link SecretWrapping#wrapSecret}):
     * it binds every column that decides who the key authenticates as — the access key id, the
     * account and the principal ARN — so a row whose columns were changed outside Keyhaven no
     * longer unwraps (issue 16, item 6). Each field but the last is length-prefixed, so distinct
     * triples never give the same purpose.
     */
    public static String purpose(String accessKeyId, String accountId, String principalArn) {
      return "access-key:v2:"
          + accessKeyId.length()
          + ":"
          + accessKeyId
          + accountId.length()
          + ":"
          + accountId
          + principalArn;
    }

    /** {@link #purpose(String, String, String)} of this row's columns. */
    public String purpose() {
      return purpose(accessKeyId, accountId, principalArn);
    }

    /**
     * The purpose of secrets wrapped before schema V10, which bound only the access key id. Read
     * once, by the V10 migration that re-wraps them under {@link #purpose()}; never accepted when
     * authenticating.
     */
    public static String legacyPurpose(String accessKeyId) {
      return "access-key:" + accessKeyId;
    }
  }

  Uni<Void> insert(StoredAccessKey key);

  /**
   * Within the current transaction, waits for and takes a lock on the principal's access keys, held
   * until the transaction ends: two transactions that both lock a principal never run their
   * count-then-insert at the same time (the quota check of CreateAccessKey).
   */
  Uni<Void> lockPrincipal(String accountId, String principalArn);

  Uni<Optional<StoredAccessKey>> find(String accessKeyId);

  /** The account's access keys, optionally of one principal, ordered by access key id. */
  Uni<List<StoredAccessKey>> list(String accountId, String principalArn);

  /** Deletes the key; true if it existed. */
  Uni<Boolean> delete(String accessKeyId);
}
