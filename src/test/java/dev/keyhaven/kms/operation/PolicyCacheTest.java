package dev.keyhaven.kms.operation;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyhaven.kms.domain.policy.DefaultKeyPolicy;
import dev.keyhaven.kms.domain.policy.PolicyDocument;
import org.junit.jupiter.api.Test;

class PolicyCacheTest {
  @Test
  void get_sameText_parsedOnce() {
    PolicyCache cache = new PolicyCache(4);
    String text = DefaultKeyPolicy.forAccount("aws", "111122223333");
    assertSame(
        cache.get(text, PolicyDocument.Kind.KEY_POLICY),
        cache.get(text, PolicyDocument.Kind.KEY_POLICY));
  }

  // A stored policy that does not parse is an internal fault (500), not the caller's
  // MalformedPolicyDocumentException (400).
  @Test
  void get_storedPolicyThatNoLongerParses_internalError() {
    assertThrows(
        IllegalStateException.class,
        () -> new PolicyCache(4).get("not json", PolicyDocument.Kind.KEY_POLICY));
  }
}
