package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.operation.port.AccessKeyRepository.StoredAccessKey;
import dev.keyhaven.kms.operation.port.SecretWrapping;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The Java half of migration V10 (V10__row_binding.sql): re-wraps every access key secret written
 * before it — AAD {@link StoredAccessKey#legacyPurpose} (the access key id only) — under {@link
 * StoredAccessKey#purpose()}, which also binds the account and principal the row names now. Runs
 * exactly once per database, in the transaction that applies V10 and under the migrator's lock;
 * afterwards the legacy AAD is never accepted, so a legacy blob written back into a row later (from
 * a copy or backup) does not authenticate.
 *
 * <p>What a row said when V10 ran is trusted: an edit made before the upgrade is not detectable. A
 * row that does not unwrap under the legacy AAD either (already edited, or corrupt) is left as it
 * is, logged, and refused at use.
 */
final class AccessKeyRebinding {
  private static final Logger LOG = Logger.getLogger(AccessKeyRebinding.class);

  private AccessKeyRebinding() {}

  /** Re-wraps every row on {@code conn} (inside the migration's transaction). */
  static Uni<Void> rebind(SqlConnection conn, SecretWrapping crypto) {
    return conn.query(
            "SELECT access_key_id, account_id, principal_arn, wrapped_secret FROM access_key")
        .execute()
        .chain(
            rows -> {
              List<Tuple> updates = new ArrayList<>();
              for (Row row : rows) {
                StoredAccessKey key =
                    new StoredAccessKey(
                        row.getString(0),
                        row.getString(1),
                        row.getString(2),
                        row.getBuffer(3).getBytes(),
                        null);
                byte[] rewrapped = rewrap(key, crypto);
                if (rewrapped != null) {
                  updates.add(Tuple.of(Buffer.buffer(rewrapped), key.accessKeyId()));
                }
              }
              LOG.infof(
                  "V10: %d access key secret(s) re-wrapped to bind account and principal",
                  updates.size());
              if (updates.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              return conn.preparedQuery(
                      "UPDATE access_key SET wrapped_secret = $1 WHERE access_key_id = $2")
                  .executeBatch(updates)
                  .replaceWithVoid();
            });
  }

  /** The secret wrapped under the binding purpose, or null if the legacy blob does not unwrap. */
  static byte[] rewrap(StoredAccessKey key, SecretWrapping crypto) {
    SecretBytes secret;
    try {
      secret =
          crypto.unwrapSecret(
              StoredAccessKey.legacyPurpose(key.accessKeyId()), key.wrappedSecret());
    } catch (IllegalStateException e) {
      LOG.warnf(
          "V10: access key %s does not unwrap under its pre-V10 AAD: left as it is (it will"
              + " be refused)",
          key.accessKeyId());
      return null;
    }
    try {
      return crypto.wrapSecret(key.purpose(), secret);
    } finally {
      secret.wipe();
    }
  }
}
