package dev.keyhaven.kms.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyhaven.kms.domain.key.KeyReference;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An audit event keeps string members only up to {@link AuditParameters#MAX_STRING} characters: a
 * rejected 1 MB KeyId used to become a 1 MB audit record (docs/reliability.md, scenario 6); a value
 * of the largest valid size, a 32 KB key policy, is kept whole.
 */
class AuditParametersTest {
  record Request(String keyId, String policy) {}

  @Test
  void of_hugeString_isCut() {
    Map<String, Object> members =
        AuditParameters.of(new Request("k".repeat(1_000_000), "p".repeat(32 * 1024)));
    assertEquals("k".repeat(AuditParameters.MAX_STRING) + "...", members.get("keyId"));
    assertEquals("p".repeat(32 * 1024), members.get("policy"));
  }

  record Keyed(KeyReference keyId, KeyReference destinationKeyId) {}

  // requestParameters keep a KeyId member as the caller sent it, whatever form it parsed as.
  @Test
  void of_keyIdMember_theTextAsSent() {
    String arn = "arn:aws:kms:us-east-1:111122223333:alias/app";
    Map<String, Object> members =
        AuditParameters.of(new Keyed(KeyReference.of(arn), KeyReference.of("not a key")));
    assertEquals(Map.of("keyId", arn, "destinationKeyId", "not a key"), members);
    assertEquals(
        "k".repeat(AuditParameters.MAX_STRING) + "...",
        AuditParameters.of(new Keyed(KeyReference.of("k".repeat(1_000_000)), null)).get("keyId"));
  }
}
