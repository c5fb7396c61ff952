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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 6, grants: a kms_grant row changed or inserted outside Keyhaven allows nothing (it
 * is as if it did not exist); the grants Keyhaven wrote keep working.
 */
@QuarkusTest
class GrantBindingTest {
  private static final Duration SQL_TIMEOUT = Duration.ofSeconds(30);

  @Inject Pool pool;
  @Inject RowBinding crypto;

  private int sql(String statement, Object... values) {
    return DatabaseEdits.execute(pool, statement, values);
  }

  /** A grant made through Keyhaven; its id. */
  private static String grant(KmsApi root, String keyId, String grantee, String operation) {
    return root.call(
            "CreateGrant",
            Map.of("KeyId", keyId, "GranteePrincipal", grantee, "Operations", List.of(operation)))
        .statusCode(200)
        .extract()
        .path("GrantId");
  }

  private static Map<String, Object> encrypt(String keyId) {
    return Map.of("KeyId", keyId, "Plaintext", "AQ==");
  }

  @Test
  void grantRepointedAndWidened_allowsNothing() {
    KmsApi root = KmsApi.newAccount();
    String keyId = root.createKey();
    String reader = "arn:aws:iam::" + root.accountId() + ":role/Reader";
    String attacker = "arn:aws:iam::" + root.accountId() + ":role/Attacker";
    String grantId = grant(root, keyId, reader, "DescribeKey");
    root.as(reader).call("DescribeKey", Map.of("KeyId", keyId)).statusCode(200);

    assertEquals(
        1,
        sql(
            "UPDATE kms_grant SET grantee = $1, operations = 'Encrypt' WHERE grant_id = $2",
            attacker,
            grantId));

    root.as(attacker)
        .call("Encrypt", encrypt(keyId))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }

  @Test
  void grantInserted_allowsNothing_writtenGrantsStillWork() {
    KmsApi root = KmsApi.newAccount();
    String keyId = root.createKey();
    String app = "arn:aws:iam::" + root.accountId() + ":role/App";
    String attacker = "arn:aws:iam::" + root.accountId() + ":role/Attacker";
    grant(root, keyId, app, "Encrypt");
    String keyArn = root.arnOf(keyId);
    assertEquals(
        1,
        sql(
            "INSERT INTO kms_grant (grant_id, key_id, key_arn, creation_date, grantee, issuing_account,"
                + " operations) VALUES ($1, $2::uuid, $3, now(), $4, $5, 'Encrypt,Decrypt')",
            java.util.UUID.randomUUID().toString().replace("-", "") + "feed",
            keyId,
            keyArn,
            attacker,
            root.accountId()));

    root.as(attacker)
        .call("Encrypt", encrypt(keyId))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    root.as(app).call("Encrypt", encrypt(keyId)).statusCode(200);
  }

  /** Upgrade: a grant from before V10 (no MAC) allows nothing until V10's step binds it. */
  @Test
  void preV10Grant_inertUntilV10BindsIt() {
    KmsApi root = KmsApi.newAccount();
    String keyId = root.createKey();
    String app = "arn:aws:iam::" + root.accountId() + ":role/Old";
    String grantId = grant(root, keyId, app, "Encrypt");
    assertEquals(1, sql("UPDATE kms_grant SET mac = NULL WHERE grant_id = $1", grantId));
    root.as(app)
        .call("Encrypt", encrypt(keyId))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));

    pool.withTransaction(conn -> GrantBinding.bindExisting(conn, crypto))
        .await()
        .atMost(SQL_TIMEOUT);

    root.as(app).call("Encrypt", encrypt(keyId)).statusCode(200);
  }
}
