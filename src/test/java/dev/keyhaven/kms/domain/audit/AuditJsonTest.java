package dev.keyhaven.kms.domain.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical form is exactly what docs/audit.md describes. */
class AuditJsonTest {

  @Test
  void canonical_failedApiCall_matchesTheDocumentedForm() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("keyId", "alias/app");
    parameters.put("encryptionContext", Map.of("z", "1", "a", "quote\" back\\ nl\n ctl\u0001 é"));
    AuditEvent event =
        new AuditEvent(
            new AuditEvent.UserIdentity(
                "IAMUser",
                "alice",
                "arn:aws:iam::111122223333:user/alice",
                "111122223333",
                "AKIAEXAMPLE",
                null,
                null,
                null),
            Instant.parse("2026-11-29T10:15:30.987Z"),
            "Encrypt",
            "us-east-1",
            "127.0.0.1",
            "aws-cli/2",
            "AccessDeniedException",
            "denied",
            parameters,
            null,
            null,
            "req-1",
            "evt-1",
            true,
            List.of(
                AuditEvent.Resource.kmsKey(
                    "111122223333", "arn:aws:kms:us-east-1:111122223333:key/k")),
            AuditEvent.API_CALL,
            "111122223333");
    String expected =
        "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"alice\","
            + "\"arn\":\"arn:aws:iam::111122223333:user/alice\",\"accountId\":\"111122223333\","
            + "\"accessKeyId\":\"AKIAEXAMPLE\"},\"eventTime\":\"2026-11-29T10:15:30Z\","
            + "\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Encrypt\",\"awsRegion\":\"us-east-1\","
            + "\"sourceIPAddress\":\"127.0.0.1\",\"userAgent\":\"aws-cli/2\","
            + "\"errorCode\":\"AccessDeniedException\",\"errorMessage\":\"denied\","
            + "\"requestParameters\":{\"encryptionContext\":{\"a\":\"quote\\\" back\\\\ nl\\n ctl\\u0001 é\",\"z\":\"1\"},"
            + "\"keyId\":\"alias/app\"},\"responseElements\":null,\"requestID\":\"req-1\",\"eventID\":\"evt-1\","
            + "\"readOnly\":true,\"resources\":[{\"accountId\":\"111122223333\",\"type\":\"AWS::KMS::Key\","
            + "\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/k\"}],\"eventType\":\"AwsApiCall\","
            + "\"managementEvent\":true,\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\"}";
    assertEquals(expected, new String(AuditJson.canonical(event), StandardCharsets.UTF_8));
  }

  @Test
  void canonical_serviceEvent_hasNoRequestMembers() {
    AuditEvent event =
        new AuditEvent(
            AuditEvent.UserIdentity.service("111122223333"),
            Instant.parse("2026-11-29T00:00:00Z"),
            "RotateKey",
            "us-east-1",
            null,
            null,
            null,
            null,
            null,
            null,
            Map.of("keyId", "arn:aws:kms:us-east-1:111122223333:key/k"),
            null,
            "evt-2",
            false,
            List.of(),
            AuditEvent.SERVICE_EVENT,
            "111122223333");
    assertEquals(
        "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"accountId\":\"111122223333\",\"invokedBy\":\"AWS Internal\"},"
            + "\"eventTime\":\"2026-11-29T00:00:00Z\",\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"RotateKey\","
            + "\"awsRegion\":\"us-east-1\",\"serviceEventDetails\":{\"keyId\":\"arn:aws:kms:us-east-1:111122223333:key/k\"},"
            + "\"eventID\":\"evt-2\",\"readOnly\":false,\"resources\":[],\"eventType\":\"AwsServiceEvent\","
            + "\"managementEvent\":true,\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\"}",
        new String(AuditJson.canonical(event), StandardCharsets.UTF_8));
  }
}
