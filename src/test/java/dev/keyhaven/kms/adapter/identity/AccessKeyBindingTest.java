package dev.keyhaven.kms.adapter.identity;

import static dev.keyhaven.kms.adapter.identity.SignedCalls.signed;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 6: a row of {@code access_key} edited outside Keyhaven (an SQL {@code UPDATE} by
 * whoever can write the table) is refused, never obeyed: the wrapped secret's AAD binds the access
 * key id, the account and the principal, so a re-pointed key no longer authenticates at all
 * (UnrecognizedClientException, as for an unknown key) — also when its secret is already cached.
 */
@QuarkusTest
class AccessKeyBindingTest {
  private static final Duration SQL_TIMEOUT = Duration.ofSeconds(30);
  private final KmsApi root = KmsApi.newAccount();

  @Inject Pool pool;

  private String[] createAccessKey(String principal) {
    var answer =
        root.callAdmin("CreateAccessKey", Map.of("PrincipalArn", principal))
            .statusCode(200)
            .extract();
    return new String[] {
      answer.path("AccessKey.AccessKeyId"), answer.path("AccessKey.SecretAccessKey")
    };
  }

  private void update(String sql, String value, String accessKeyId) {
    int rows =
        pool.preparedQuery(sql)
            .execute(Tuple.of(value, accessKeyId))
            .await()
            .atMost(SQL_TIMEOUT)
            .rowCount();
    assertEquals(1, rows, sql);
  }

  @Test
  void principalArnRepointedAtRoot_refusedNotObeyed() {
    String reader = "arn:aws:iam::" + root.accountId() + ":role/Reader";
    String[] key = createAccessKey(reader);
    // Used once as itself (its secret is now cached), then the row is re-pointed at the root.
    signed(key[0], key[1], "CreateKey", "{}", Instant.now())
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    update(
        "UPDATE access_key SET principal_arn = $1 WHERE access_key_id = $2",
        "arn:aws:iam::" + root.accountId() + ":root",
        key[0]);

    signed(key[0], key[1], "CreateKey", "{}", Instant.now())
        .statusCode(400)
        .body("__type", equalTo("UnrecognizedClientException"));
    signed(key[0], key[1], "ListKeys", "{}", Instant.now())
        .statusCode(400)
        .body("__type", equalTo("UnrecognizedClientException"));
    root.call("ListKeys", Map.of()).statusCode(200).body("Keys.size()", equalTo(0));
  }

  @Test
  void accountIdMoved_refused() {
    String[] key = createAccessKey("arn:aws:iam::" + root.accountId() + ":root");
    signed(key[0], key[1], "ListKeys", "{}", Instant.now()).statusCode(200);
    KmsApi other = KmsApi.newAccount();
    update(
        "UPDATE access_key SET account_id = $1 WHERE access_key_id = $2",
        other.accountId(),
        key[0]);

    signed(key[0], key[1], "ListKeys", "{}", Instant.now())
        .statusCode(400)
        .body("__type", equalTo("UnrecognizedClientException"));
  }

  @Test
  void secretCopiedFromAnotherRow_refused() {
    String[] low = createAccessKey("arn:aws:iam::" + root.accountId() + ":role/Low");
    String[] high = createAccessKey("arn:aws:iam::" + root.accountId() + ":root");
    // The low key's row gets the root key's wrapped secret: the caller knows neither secret's
    // wrapping, but the swap must not make the low key id authenticate with the root's secret.
    pool.preparedQuery(
            "UPDATE access_key SET wrapped_secret = (SELECT wrapped_secret FROM access_key WHERE"
                + " access_key_id = $1), principal_arn = $2 WHERE access_key_id = $3")
        .execute(Tuple.of(high[0], "arn:aws:iam::" + root.accountId() + ":root", low[0]))
        .await()
        .atMost(SQL_TIMEOUT);

    signed(low[0], high[1], "ListKeys", "{}", Instant.now())
        .statusCode(400)
        .body("__type", equalTo("UnrecognizedClientException"));
    signed(high[0], high[1], "ListKeys", "{}", Instant.now()).statusCode(200);
  }
}
