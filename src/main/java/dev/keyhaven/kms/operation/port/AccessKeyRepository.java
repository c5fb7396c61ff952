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
      Instant createDate) {}

  Uni<Void> insert(StoredAccessKey key);

  /**
   * Within the current transaction, waits for and takes a lock on the principal's access keys,
   * held until the transaction ends: two transactions that both lock a principal never run their
   * count-then-insert at the same time (the quota check of CreateAccessKey).
   */
  Uni<Void> lockPrincipal(String accountId, String principalArn);

  Uni<Optional<StoredAccessKey>> find(String accessKeyId);

  /** The account's access keys, optionally of one principal, ordered by access key id. */
  Uni<List<StoredAccessKey>> list(String accountId, String principalArn);

  /** Deletes the key; true if it existed. */
  Uni<Boolean> delete(String accessKeyId);
}
