package dev.keyhaven.kms.adapter.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.audit.AuditEvent;
import dev.keyhaven.kms.domain.audit.AuditRecord;
import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.ChainVerifier;
import dev.keyhaven.kms.operation.admin.VerifyAuditTrail;
import dev.keyhaven.kms.operation.port.AuditStore;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The chain at scale: {@code keyhaven.audit.scale} events (100,000 in CI; docs/audit.md quotes a
 * 1,000,000 run made with {@code -Dkeyhaven.audit.scale=1000000}) appended concurrently through the
 * group-commit writer form one contiguous chain with its checkpoints, and the whole chain verifies
 * clean. The time taken is printed for the docs, never asserted.
 */
@QuarkusTest
class AuditScaleTest {
  @Inject PgAuditLog log;
  @Inject AuditStore store;
  @Inject VerifyAuditTrail verifier;

  @Test
  void manyConcurrentAppends_formOneChain_thatVerifiesClean() {
    int n = Integer.getInteger("keyhaven.audit.scale", 100_000);
    long before = head().lastSeq();
    long started = System.nanoTime();
    for (int done = 0; done < n; done += 2000) {
      List<Uni<Void>> chunk = new ArrayList<>();
      for (int i = done; i < Math.min(n, done + 2000); i++) {
        chunk.add(log.append(AuditRecord.of(event(i))));
      }
      Uni.join().all(chunk).andFailFast().await().indefinitely();
    }
    double appendSeconds = (System.nanoTime() - started) / 1e9;
    var head = head();
    assertEquals(before + n, head.lastSeq());

    long verifyStarted = System.nanoTime();
    ChainVerifier.Report report = verifier.verify(1, null, head).await().indefinitely();
    double verifySeconds = (System.nanoTime() - verifyStarted) / 1e9;
    assertTrue(report.ok(), report.findings().toString());
    assertEquals(head.lastSeq(), report.records());
    assertTrue(report.checkpoints() >= n / 1000);
    System.out.printf(
        "audit scale: appended %d events in %.1f s (%.0f/s); verified %d records and %d checkpoints in %.1f s (%.0f records/s)%n",
        n,
        appendSeconds,
        n / appendSeconds,
        report.records(),
        report.checkpoints(),
        verifySeconds,
        report.records() / verifySeconds);
  }

  private ChainHead head() {
    return AuditWriters.head(store, log.chainId());
  }

  /** An Encrypt event of realistic size (also used by GroupCommitFailureTest). */
  static AuditEvent event(int i) {
    String account = "111122223333";
    String keyArn =
        "arn:aws:kms:us-east-1:"
            + account
            + ":key/"
            + UUID.nameUUIDFromBytes(("k" + (i % 100)).getBytes());
    return new AuditEvent(
        new AuditEvent.UserIdentity(
            "AssumedRole",
            "App:session-" + (i % 10),
            "arn:aws:sts::" + account + ":assumed-role/App/session-" + (i % 10),
            account,
            null,
            "https://issuer.example",
            "subject-" + (i % 10),
            null),
        Instant.now(),
        "Encrypt",
        "us-east-1",
        "10.0.0." + (i % 250),
        "aws-sdk-java/2.57.8 Linux/6 OpenJDK_64-Bit_Server_VM/17",
        null,
        null,
        Map.of(
            "keyId",
            keyArn,
            "encryptionContext",
            Map.of("tenant", "t" + (i % 50), "purpose", "scale")),
        null,
        null,
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        true,
        List.of(AuditEvent.Resource.kmsKey(account, keyArn)),
        AuditEvent.API_CALL,
        account);
  }
}
