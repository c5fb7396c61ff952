package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.operation.port.RowBinding;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The MAC that binds a grant to its row (issue 16, item 6): {@link RowBinding#bindingMac} of every
 * column that decides what the grant allows — grant id, key id and ARN, name, grantee, retiring
 * principal, issuing account, operations and both constraints, as stored. Written by CreateGrant
 * (grants never change after); checked on every read. A row whose MAC does not match — edited or
 * inserted outside Keyhaven — is as if it did not exist: it allows nothing, is not listed and
 * cannot be retired or revoked through the API (only deleted in the database), and a WARN line
 * names its grant id. A MAC cannot show a grant deleted, or put back after it was retired or
 * revoked (a restored row of a grant that once existed).
 */
final class GrantBinding {
  private static final Logger LOG = Logger.getLogger(GrantBinding.class);
  static final String PURPOSE = "grant:v1";
  static final String COLUMNS =
      "grant_id, key_id::text, key_arn, name, grantee, retiring_principal, issuing_account,"
          + " operations, constraint_equals, constraint_subset";

  private GrantBinding() {}

  static byte[] mac(RowBinding crypto, GrantEntity e) {
    return crypto.bindingMac(PURPOSE, fields(e));
  }

  /** True if the row's MAC matches its columns; logs the grant id if not. */
  static boolean verified(RowBinding crypto, GrantEntity e) {
    if (crypto.matchesBindingMac(e.mac, PURPOSE, fields(e))) {
      return true;
    }
    LOG.warnf(
        "grant %s is ignored: its kms_grant row does not match what Keyhaven wrote (changed or"
            + " inserted outside Keyhaven)",
        e.grantId);
    return false;
  }

  private static String[] fields(GrantEntity e) {
    return new String[] {
      e.grantId,
      e.keyId == null ? null : e.keyId.toString(),
      e.keyArn,
      e.name,
      e.grantee,
      e.retiringPrincipal,
      e.issuingAccount,
      e.operations,
      e.constraintEquals,
      e.constraintSubset
    };
  }

  /** V10's step: a MAC for every grant that exists when V10 is applied (those rows are trusted). */
  static Uni<Void> bindExisting(SqlConnection conn, RowBinding crypto) {
    return conn.query("SELECT " + COLUMNS + " FROM kms_grant")
        .execute()
        .chain(
            rows -> {
              List<Tuple> updates = new ArrayList<>();
              for (Row row : rows) {
                String[] fields = new String[10];
                for (int i = 0; i < fields.length; i++) {
                  fields[i] = row.getString(i);
                }
                updates.add(Tuple.of(Buffer.buffer(crypto.bindingMac(PURPOSE, fields)), fields[0]));
              }
              LOG.infof("V10: %d grant(s) bound to their rows", updates.size());
              return updates.isEmpty()
                  ? Uni.createFrom().voidItem()
                  : conn.preparedQuery("UPDATE kms_grant SET mac = $1 WHERE grant_id = $2")
                      .executeBatch(updates)
                      .replaceWithVoid();
            });
  }
}
