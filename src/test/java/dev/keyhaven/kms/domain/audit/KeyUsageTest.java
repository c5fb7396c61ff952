package dev.keyhaven.kms.domain.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyhaven.kms.domain.key.KmsAction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Which audit events are a key's use (AWS KMS API Reference, KeyLastUsageData), as plain units. */
class KeyUsageTest {
  private static final String ACCOUNT = "111122223333";
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final UUID A = UUID.randomUUID();
  private static final UUID B = UUID.randomUUID();

  // KeyLastUsageData.Operation, Valid Values.
  @Test
  void tracksLastUsage_exactlyAwsValidOperationValues() {
    Set<String> tracked =
        Stream.of(KmsAction.values())
            .filter(KmsAction::tracksLastUsage)
            .map(KmsAction::wireName)
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "Decrypt",
            "DeriveSharedSecret",
            "Encrypt",
            "GenerateDataKey",
            "GenerateDataKeyPair",
            "GenerateDataKeyPairWithoutPlaintext",
            "GenerateDataKeyWithoutPlaintext",
            "GenerateMac",
            "ReEncrypt",
            "Sign",
            "Verify",
            "VerifyMac"),
        tracked);
  }

  @Test
  void latestPerKey_failuresServiceEventsAndOtherActions_areNoUse() {
    List<AuditEvent> events =
        List.of(
            event("Encrypt", "AccessDeniedException", T0, A),
            event("DescribeKey", null, T0, A),
            event("GetPublicKey", null, T0, A),
            event("ReEncryptFrom", null, T0, A),
            new AuditEvent(
                AuditEvent.UserIdentity.service(ACCOUNT),
                T0,
                "RotateKey",
                "us-east-1",
                null,
                null,
                null,
                null,
                null,
                null,
                Map.of("keyId", arn(A)),
                null,
                "e",
                false,
                List.of(AuditEvent.Resource.kmsKey(ACCOUNT, arn(A))),
                AuditEvent.SERVICE_EVENT,
                ACCOUNT));
    assertEquals(List.of(), KeyUsage.latestPerKey(events));
  }

  @Test
  void latestPerKey_severalUsesOfOneKey_keepsTheLatestAndOfEqualTimesTheLaterAppended() {
    AuditEvent first = event("Encrypt", null, T0.plusSeconds(5), A);
    AuditEvent earlier = event("Decrypt", null, T0, A);
    AuditEvent tie = event("Sign", null, T0.plusSeconds(5), A);
    List<KeyUsage> uses = KeyUsage.latestPerKey(List.of(first, earlier, tie));
    assertEquals(1, uses.size(), "one row per key: the upsert must not touch a row twice");
    assertEquals("Sign", uses.get(0).operation());
    assertEquals(tie.eventId(), uses.get(0).eventId());
    assertEquals(tie.requestId(), uses.get(0).requestId());
    assertEquals(T0.plusSeconds(5), uses.get(0).timestamp());
  }

  // API Reference, GetKeyLastUsage: ReEncrypt's usage "is recorded for both keys independently".
  @Test
  void latestPerKey_reEncrypt_isAUseOfBothKeys() {
    AuditEvent reEncrypt = event("ReEncrypt", null, T0, A, B);
    List<KeyUsage> uses = KeyUsage.latestPerKey(List.of(reEncrypt));
    assertEquals(List.of(A, B), uses.stream().map(KeyUsage::keyId).toList());
    uses.forEach(u -> assertEquals(reEncrypt.eventId(), u.eventId()));
  }

  private static AuditEvent event(String name, String errorCode, Instant at, UUID... keys) {
    return new AuditEvent(
        new AuditEvent.UserIdentity(
            "Root", ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":root", ACCOUNT, null, null, null, null),
        at,
        name,
        "us-east-1",
        "127.0.0.1",
        "test",
        errorCode,
        errorCode == null ? null : "message",
        Map.of(),
        null,
        null,
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        true,
        Stream.of(keys).map(k -> AuditEvent.Resource.kmsKey(ACCOUNT, arn(k))).toList(),
        AuditEvent.API_CALL,
        ACCOUNT);
  }

  private static String arn(UUID key) {
    return "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + key;
  }
}
