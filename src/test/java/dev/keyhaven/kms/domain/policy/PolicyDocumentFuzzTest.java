package dev.keyhaven.kms.domain.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;

/**
 * Fuzz target: the key-policy parser (docs/reliability.md, section 7). Contract: any text either
 * parses into a document, as a key policy or an identity policy, or is refused with
 * MalformedPolicyDocumentException and a message — never another exception, a stack overflow or a
 * hang (PolicyJson bounds depth and size). Without JAZZER_FUZZ it replays the corpus in
 * src/test/resources/.../PolicyDocumentFuzzTestInputs.
 */
class PolicyDocumentFuzzTest {

  @FuzzTest(maxDuration = "25s")
  void parse_anyText_documentOrMalformedPolicy(FuzzedDataProvider data) {
    PolicyDocument.Kind kind =
        data.consumeBoolean()
            ? PolicyDocument.Kind.KEY_POLICY
            : PolicyDocument.Kind.IDENTITY_POLICY;
    String json = data.consumeRemainingAsString();
    try {
      assertNotNull(PolicyDocument.parse(json, kind));
    } catch (KmsException e) {
      assertEquals(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.code(), e::getMessage);
      assertNotNull(e.getMessage());
    }
  }
}
