package dev.keyhaven.kms.adapter.persistence;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.DatabaseEdits;
import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 3: the hot path answers from cached state ({@link HotState}), and the staleness
 * bound stays 0. Every change here is made behind the cache — straight in the database, as another
 * instance's commit looks to this one (it never calls this instance's invalidation) — and the very
 * next request must see it; the stale attempt leaves no audit event, the request's one event says
 * what it finally did.
 */
@QuarkusTest
class HotStateTest {
  private static final Duration SQL_TIMEOUT = Duration.ofSeconds(30);
  private static final String PLAINTEXT = KmsApi.b64("hot state".getBytes());

  @Inject Pool pool;
  @Inject HotState hot;

  private int sql(String statement, Object... values) {
    return DatabaseEdits.execute(pool, statement, values);
  }

  private static ExtractableResponse<Response> encrypt(KmsApi api, String keyId) {
    return api.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", PLAINTEXT)).extract();
  }

  /** The audit events written for {@code requestId}: (event name, error code) of each. */
  private List<String> eventsOf(String requestId) {
    List<String> events = new ArrayList<>();
    pool.preparedQuery("SELECT event_name, error_code FROM audit_event WHERE request_id = $1")
        .execute(Tuple.of(requestId))
        .await()
        .atMost(SQL_TIMEOUT)
        .forEach(r -> events.add(r.getString(0) + ":" + r.getString(1)));
    return events;
  }

  @Test
  void encryptAnswersFromTheCache() {
    KmsApi root = KmsApi.newAccount();
    String keyId = root.createKey();
    assertEquals(200, encrypt(root, keyId).statusCode());
    long before = hot.hits();
    long reevaluated = hot.reevaluated();
    for (int i = 0; i < 5; i++) {
      assertEquals(200, encrypt(root, keyId).statusCode());
    }
    assertEquals(
        reevaluated, hot.reevaluated(), "an answer from unchanged state was evaluated again");
    // Each Encrypt reads the key row and the caller's identity policy (none: cached as absent);
    // the current material's plaintext is in the material cache already.
    assertTrue(hot.hits() - before >= 10, "cache hits: " + (hot.hits() - before));
  }

  @Test
  void keyDisabledBehindTheCache_nextRequestRefused_oneEvent() {
    KmsApi root = KmsApi.newAccount();
    String keyId = root.createKey();
    encrypt(root, keyId);
    assertEquals(200, encrypt(root, keyId).statusCode());
    long reevaluated = hot.reevaluated();

    assertEquals(
        1,
        sql("UPDATE kms_key SET key_state = 'DISABLED' WHERE key_id = $1", UUID.fromString(keyId)));

    ExtractableResponse<Response> refused = encrypt(root, keyId);
    assertEquals(400, refused.statusCode());
    assertEquals("DisabledException", refused.path("__type"));
    assertTrue(hot.reevaluated() > reevaluated, "the cached answer was not re-evaluated");
    String requestId = refused.header("x-amzn-RequestId");
    assertEquals(List.of("Encrypt:DisabledException"), eventsOf(requestId));
  }

  @Test
  void aliasRetargetedBehindTheCache_nextRequestUsesTheNewTarget() {
    KmsApi root = KmsApi.newAccount();
    String first = root.createKey();
    String second = root.createKey();
    root.call("CreateAlias", Map.of("AliasName", "alias/hot", "TargetKeyId", first))
        .statusCode(200);
    encrypt(root, "alias/hot");
    assertEquals(root.arnOf(first), encrypt(root, "alias/hot").path("KeyId"));

    assertEquals(
        1,
        sql(
            "UPDATE kms_alias SET target_key_id = $1 WHERE alias_name = 'alias/hot' AND account_id = $2",
            UUID.fromString(second),
            root.accountId()));

    assertEquals(root.arnOf(second), encrypt(root, "alias/hot").path("KeyId"));
  }

  @Test
  void keyPolicyReplacedBehindTheCache_nextRequestRefused() {
    KmsApi root = KmsApi.newAccount();
    String role = "arn:aws:iam::" + root.accountId() + ":role/HotUser";
    String keyId = root.createKey();
    String allowRole =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + root.accountId()
            + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
            + role
            + "\"},\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}]}";
    root.call("PutKeyPolicy", Map.of("KeyId", keyId, "PolicyName", "default", "Policy", allowRole))
        .statusCode(200);
    KmsApi user = root.as(role);
    encrypt(user, keyId);
    assertEquals(200, encrypt(user, keyId).statusCode());

    String rootOnly =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + "\"arn:aws:iam::"
            + root.accountId()
            + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    assertEquals(
        1,
        sql("UPDATE kms_key SET policy = $1 WHERE key_id = $2", rootOnly, UUID.fromString(keyId)));

    user.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", PLAINTEXT))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }

  @Test
  void identityPolicyChangedBehindTheCache_nextRequestRefused() {
    KmsApi root = KmsApi.newAccount();
    String role = "arn:aws:iam::" + root.accountId() + ":role/HotReader";
    String keyId = root.createKey();
    root.callAdmin(
            "PutPrincipalPolicy",
            Map.of(
                "PrincipalArn",
                role,
                "PolicyDocument",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Action\":\"kms:DescribeKey\",\"Resource\":\"*\"}]}"))
        .statusCode(200);
    KmsApi reader = root.as(role);
    reader.call("DescribeKey", Map.of("KeyId", keyId)).statusCode(200);
    reader.call("DescribeKey", Map.of("KeyId", keyId)).statusCode(200);

    // Another writer removes the policy: the role has no permission left.
    assertEquals(1, sql("DELETE FROM principal_policy WHERE principal_arn = $1", role));

    reader
        .call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }

  private static void awaitAtLeast(AtomicLong counter, long n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (counter.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  /**
   * Eight threads encrypt without pause while the key is disabled behind the cache: no Encrypt sent
   * after the disabling commit returned may succeed, in any of 20 trials; and the race must have
   * been real (some successes before, refusals after, in every trial).
   */
  @Test
  void disableRacingEncrypts_noSuccessAfterTheCommit() throws Exception {
    KmsApi root = KmsApi.newAccount();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      for (int trial = 0; trial < 20; trial++) {
        String keyId = root.createKey();
        encrypt(root, keyId);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong successes = new AtomicLong();
        AtomicLong refusalsSoFar = new AtomicLong();
        AtomicLong committedAt = new AtomicLong(Long.MAX_VALUE);
        List<Future<long[]>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          workers.add(
              threads.submit(
                  () -> {
                    long successesAfter = 0;
                    long successesBefore = 0;
                    long refusals = 0;
                    long otherErrors = 0;
                    while (!stop.get()) {
                      long sent = System.nanoTime();
                      ExtractableResponse<Response> answer = encrypt(root, keyId);
                      if (answer.statusCode() == 200 && sent > committedAt.get()) {
                        successesAfter++;
                      } else if (answer.statusCode() == 200) {
                        successesBefore++;
                        successes.incrementAndGet();
                      } else if ("DisabledException".equals(answer.path("__type"))) {
                        refusals++;
                        refusalsSoFar.incrementAndGet();
                      } else {
                        otherErrors++;
                      }
                    }
                    return new long[] {successesBefore, successesAfter, refusals, otherErrors};
                  }));
        }
        awaitAtLeast(successes, 16);
        sql("UPDATE kms_key SET key_state = 'DISABLED' WHERE key_id = $1", UUID.fromString(keyId));
        committedAt.set(System.nanoTime());
        awaitAtLeast(refusalsSoFar, 16);
        stop.set(true);
        long before = 0;
        long after = 0;
        long refused = 0;
        long other = 0;
        for (Future<long[]> w : workers) {
          long[] counts = w.get(60, TimeUnit.SECONDS);
          before += counts[0];
          after += counts[1];
          refused += counts[2];
          other += counts[3];
        }
        assertEquals(
            0, after, "trial " + trial + ": Encrypts answered 200 after the disable committed");
        assertEquals(0, other, "trial " + trial + ": answers neither 200 nor DisabledException");
        assertTrue(
            before > 0 && refused > 0,
            "trial " + trial + ": no race (" + before + " / " + refused + ")");
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
