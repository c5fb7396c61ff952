package dev.keyhaven.kms.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * VerifyAuditTrail while other requests keep appending (found by tests/reliability/, scenario 1):
 * the verification reads the head, the checkpoints and the records in one snapshot, so events and
 * checkpoints committed during the walk are neither "records beyond the stored head" nor a "missing
 * checkpoint". Before the fix, each read saw whatever had committed by then.
 */
@QuarkusTest
class VerifyAuditTrailConcurrencyTest {
  @Test
  void verifyAuditTrail_duringConcurrentAppends_findsNothing() throws Exception {
    KmsApi root = KmsApi.newAccount();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Integer>> appenders = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      appenders.add(
          pool.submit(
              () -> {
                int n = 0;
                while (!stop.get()) {
                  root.call("GenerateRandom", Map.of("NumberOfBytes", 16)).statusCode(200);
                  n++;
                }
                return n;
              }));
    }
    List<String> findings = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        Map<String, Object> answer =
            KmsApi.operator()
                .callAdmin("VerifyAuditTrail", Map.of())
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
        if (!Boolean.TRUE.equals(answer.get("Valid"))) {
          findings.add(answer.get("Findings").toString());
        }
      }
    } finally {
      stop.set(true);
    }
    int appended = 0;
    for (Future<Integer> f : appenders) {
      appended += f.get();
    }
    pool.shutdown();
    assertTrue(appended >= 30, "requests appended events meanwhile: " + appended);
    assertEquals(List.of(), findings, "findings of verifications during appends");
  }
}
