package dev.keyhaven.kms.adapter.persistence;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyhaven.kms.operation.port.RowBinding;
import dev.keyhaven.kms.support.DatabaseEdits;
import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 6, identity policies: a principal_policy row changed or inserted outside Keyhaven
 * is not obeyed. Its principal is refused (AccessDenied) — also what the policy allowed before —
 * until PutPrincipalPolicy writes it again.
 */
@QuarkusTest
class PrincipalPolicyBindingTest {
  private static final Duration SQL_TIMEOUT = Duration.ofSeconds(30);
  private static final String ALLOW_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\","
          + "\"Resource\":\"*\"}]}";
  private static final String ALLOW_DESCRIBE =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:DescribeKey\","
          + "\"Resource\":\"*\"}]}";

  @Inject Pool pool;
  @Inject RowBinding crypto;

  private int sql(String statement, Object... values) {
    return DatabaseEdits.execute(pool, statement, values);
  }

  @Test
  void policyRewrittenInTheDatabase_refusedNotObeyed() {
    KmsApi root = KmsApi.newAccount();
    String role = "arn:aws:iam::" + root.accountId() + ":role/Reader";
    String keyId = root.createKey();
    root.callAdmin(
            "PutPrincipalPolicy", Map.of("PrincipalArn", role, "PolicyDocument", ALLOW_DESCRIBE))
        .statusCode(200);
    KmsApi reader = root.as(role);
    reader.call("DescribeKey", Map.of("KeyId", keyId)).statusCode(200);

    assertEquals(
        1,
        sql("UPDATE principal_policy SET policy = $1 WHERE principal_arn = $2", ALLOW_ALL, role));

    reader
        .call("CreateKey", Map.of())
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    reader
        .call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "AQ=="))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    reader
        .call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));

    // Written again through Keyhaven, it is obeyed again.
    root.callAdmin(
            "PutPrincipalPolicy", Map.of("PrincipalArn", role, "PolicyDocument", ALLOW_DESCRIBE))
        .statusCode(200);
    reader.call("DescribeKey", Map.of("KeyId", keyId)).statusCode(200);
  }

  @Test
  void policyInsertedInTheDatabase_refusedNotObeyed() {
    KmsApi root = KmsApi.newAccount();
    String role = "arn:aws:iam::" + root.accountId() + ":role/Intruder";
    assertEquals(
        1,
        sql(
            "INSERT INTO principal_policy (principal_arn, account_id, policy, update_date)"
                + " VALUES ($1, $2, $3, now())",
            role,
            root.accountId(),
            ALLOW_ALL));

    root.as(role)
        .call("CreateKey", Map.of())
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    root.call("ListKeys", Map.of()).statusCode(200).body("Keys.size()", equalTo(0));
  }

  @Test
  void policyMovedToAnotherPrincipal_refused() {
    KmsApi root = KmsApi.newAccount();
    String admin = "arn:aws:iam::" + root.accountId() + ":role/Admin";
    String low = "arn:aws:iam::" + root.accountId() + ":role/Low";
    root.callAdmin("PutPrincipalPolicy", Map.of("PrincipalArn", admin, "PolicyDocument", ALLOW_ALL))
        .statusCode(200);
    root.as(admin).call("CreateKey", Map.of()).statusCode(200);
    // The admin's row, MAC and all, re-pointed at another principal.
    assertEquals(
        1,
        sql("UPDATE principal_policy SET principal_arn = $1 WHERE principal_arn = $2", low, admin));

    root.as(low)
        .call("CreateKey", Map.of())
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }

  /** Upgrade: a row from before V10 (no MAC) is refused until V10's step binds it, then obeyed. */
  @Test
  void preV10Row_refusedUntilV10BindsIt() {
    KmsApi root = KmsApi.newAccount();
    String role = "arn:aws:iam::" + root.accountId() + ":role/Old";
    root.callAdmin("PutPrincipalPolicy", Map.of("PrincipalArn", role, "PolicyDocument", ALLOW_ALL))
        .statusCode(200);
    assertEquals(1, sql("UPDATE principal_policy SET mac = NULL WHERE principal_arn = $1", role));
    root.as(role)
        .call("CreateKey", Map.of())
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));

    pool.withTransaction(conn -> PrincipalPolicyBinding.bindExisting(conn, crypto))
        .await()
        .atMost(SQL_TIMEOUT);

    root.as(role).call("CreateKey", Map.of()).statusCode(200);
  }
}
