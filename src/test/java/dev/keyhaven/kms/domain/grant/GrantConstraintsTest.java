package dev.keyhaven.kms.domain.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Grant constraint matching (API Reference, GrantConstraints: key case-insensitive, value
 * case-sensitive), the "equally strict or stricter" rule for grants created through a grant, and
 * the grant token format.
 */
class GrantConstraintsTest {
  private static final GrantConstraints EQUALS = new GrantConstraints(Map.of("Dept", "IT"), null);
  private static final GrantConstraints SUBSET = new GrantConstraints(null, Map.of("dept", "IT"));

  @Test
  void equals_sameKeyAnyCaseExactValue_satisfied_otherwiseNot() {
    assertTrue(EQUALS.satisfiedBy(Map.of("dept", "IT")));
    assertTrue(EQUALS.satisfiedBy(Map.of("DEPT", "IT")));
    assertFalse(EQUALS.satisfiedBy(Map.of("dept", "it")));
    assertFalse(EQUALS.satisfiedBy(Map.of("dept", "IT", "x", "y")));
    assertFalse(EQUALS.satisfiedBy(Map.of()));
  }

  @Test
  void subset_extraPairsAllowed_missingPairNot() {
    assertTrue(SUBSET.satisfiedBy(Map.of("Dept", "IT", "x", "y")));
    assertFalse(SUBSET.satisfiedBy(Map.of("x", "y")));
    assertTrue(GrantConstraints.NONE.satisfiedBy(Map.of()));
  }

  @Test
  void stricterRule_equalsWithinSubsetAllowed_looserDenied() {
    assertTrue(
        new GrantConstraints(Map.of("DEPT", "IT", "u", "1"), null).atLeastAsStrictAs(SUBSET));
    assertTrue(
        new GrantConstraints(null, Map.of("dept", "IT", "u", "1")).atLeastAsStrictAs(SUBSET));
    assertFalse(GrantConstraints.NONE.atLeastAsStrictAs(SUBSET));
    assertFalse(SUBSET.atLeastAsStrictAs(EQUALS));
    assertTrue(new GrantConstraints(Map.of("dept", "IT"), null).atLeastAsStrictAs(EQUALS));
    assertTrue(SUBSET.atLeastAsStrictAs(GrantConstraints.NONE));
  }

  @Test
  void token_roundTripsKeyAndGrant_garbageIsInvalidGrantToken() {
    UUID keyId = UUID.randomUUID();
    String grantId = "ab".repeat(32);
    String token = GrantToken.issue(keyId, grantId, new byte[GrantToken.nonceLength()]);
    assertEquals(new GrantToken(keyId, grantId), GrantToken.parse(token));
    KmsException e = assertThrows(KmsException.class, () -> GrantToken.parse("AAAA"));
    assertEquals(ErrorCode.INVALID_GRANT_TOKEN, e.code());
  }
}
