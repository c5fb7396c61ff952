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
 * The MAC that binds an identity policy to its row (issue 16, item 6): {@link
 * RowBinding#bindingMac} of the principal ARN, account id and policy text. Written with every
 * PutPrincipalPolicy; checked on every read. A row whose MAC does not match — its policy, principal
 * or account changed, or the row inserted, outside Keyhaven — is read as {@link #DENY_ALL}, with a
 * WARN line naming the principal: the principal is refused everything rather than given what the
 * edited row says. What a MAC cannot show: a row deleted, or put back as it was earlier (a restored
 * older version of the same principal's policy).
 */
final class PrincipalPolicyBinding {
  private static final Logger LOG = Logger.getLogger(PrincipalPolicyBinding.class);
  static final String PURPOSE = "principal-policy:v1";

  /** What an identity policy whose row does not verify is read as: an explicit Deny of all. */
  static final String DENY_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"KeyhavenRowNotVerified\","
          + "\"Effect\":\"Deny\",\"Action\":[\"kms:*\",\"keyhaven:*\"],\"Resource\":\"*\"}]}";

  private PrincipalPolicyBinding() {}

  static byte[] mac(RowBinding crypto, String principalArn, String accountId, String policy) {
    return crypto.bindingMac(PURPOSE, principalArn, accountId, policy);
  }

  /** The policy the row holds if its MAC matches, else {@link #DENY_ALL}. */
  static String verified(
      RowBinding crypto, String principalArn, String accountId, String policy, byte[] mac) {
    if (crypto.matchesBindingMac(mac, PURPOSE, principalArn, accountId, policy)) {
      return policy;
    }
    LOG.warnf(
        "the identity policy of %s is refused: its principal_policy row does not match what"
            + " Keyhaven wrote (changed or inserted outside Keyhaven); the principal is denied"
            + " everything until its policy is put again",
        principalArn);
    return DENY_ALL;
  }

  /** V10's step: a MAC for every row that exists when V10 is applied (those rows are trusted). */
  static Uni<Void> bindExisting(SqlConnection conn, RowBinding crypto) {
    return conn.query("SELECT principal_arn, account_id, policy FROM principal_policy")
        .execute()
        .chain(
            rows -> {
              List<Tuple> updates = new ArrayList<>();
              for (Row row : rows) {
                byte[] mac = mac(crypto, row.getString(0), row.getString(1), row.getString(2));
                updates.add(Tuple.of(Buffer.buffer(mac), row.getString(0)));
              }
              LOG.infof("V10: %d identity polic(ies) bound to their rows", updates.size());
              return updates.isEmpty()
                  ? Uni.createFrom().voidItem()
                  : conn.preparedQuery(
                          "UPDATE principal_policy SET mac = $1 WHERE principal_arn = $2")
                      .executeBatch(updates)
                      .replaceWithVoid();
            });
  }
}
