package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.operation.port.AccessKeyCredentials;
import dev.keyhaven.kms.operation.port.AccessKeyLookup;
import dev.keyhaven.kms.operation.port.AccessKeyRepository.StoredAccessKey;
import dev.keyhaven.kms.operation.port.SecretWrapping;
import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Upgrade to schema V10: an access key written before it (secret wrapped under the access key id
 * alone) is refused as it stands, and works again — as the same principal — once V10's step ({@link
 * AccessKeyRebinding}) has re-wrapped it; rows already bound are left untouched by it.
 */
@QuarkusTest
class AccessKeyRebindingTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Inject Pool pool;
  @Inject SecretWrapping crypto;
  @Inject AccessKeyCredentials credentials;

  private Optional<AccessKeyLookup.Credential> find(String accessKeyId) {
    return credentials.find(accessKeyId).await().atMost(TIMEOUT);
  }

  @Test
  void legacyRow_refusedUntilV10Rewraps_thenItsOwnPrincipal() {
    KmsApi root = KmsApi.newAccount();
    String role = "arn:aws:iam::" + root.accountId() + ":role/Legacy";
    var created =
        root.callAdmin("CreateAccessKey", Map.of("PrincipalArn", role)).statusCode(200).extract();
    String id = created.path("AccessKey.AccessKeyId");
    String secret = created.path("AccessKey.SecretAccessKey");
    String bound =
        root.callAdmin("CreateAccessKey", Map.of("PrincipalArn", role))
            .statusCode(200)
            .extract()
            .path("AccessKey.AccessKeyId");
    byte[] boundBefore = wrappedSecret(bound);

    // The row as a version before V10 wrote it.
    byte[] legacy =
        crypto.wrapSecret(
            StoredAccessKey.legacyPurpose(id),
            SecretBytes.adopt(secret.getBytes(StandardCharsets.US_ASCII)));
    pool.preparedQuery("UPDATE access_key SET wrapped_secret = $1 WHERE access_key_id = $2")
        .execute(Tuple.of(Buffer.buffer(legacy), id))
        .await()
        .atMost(TIMEOUT);
    assertTrue(find(id).isEmpty(), "a pre-V10 row is not accepted as it stands");

    pool.withTransaction(conn -> AccessKeyRebinding.rebind(conn, crypto)).await().atMost(TIMEOUT);

    AccessKeyLookup.Credential found = find(id).orElseThrow();
    assertEquals(role, found.principalArn());
    assertEquals(
        secret, new String(found.secretAccessKey().exposeForCrypto(), StandardCharsets.US_ASCII));
    assertTrue(
        java.util.Arrays.equals(boundBefore, wrappedSecret(bound)), "a bound row is left as it is");
    assertTrue(find(bound).isPresent());
  }

  private byte[] wrappedSecret(String accessKeyId) {
    return pool.preparedQuery("SELECT wrapped_secret FROM access_key WHERE access_key_id = $1")
        .execute(Tuple.of(accessKeyId))
        .await()
        .atMost(TIMEOUT)
        .iterator()
        .next()
        .getBuffer(0)
        .getBytes();
  }
}
