package dev.keyhaven.kms.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.error.KmsException;
import org.junit.jupiter.api.Test;

/**
 * Validation messages repeat a bad value as AWS does, but never more than {@link
 * Validator#MAX_SHOWN} characters of it: a 1 MB KeyId used to come back, and go to the log and the
 * audit trail, in full (docs/reliability.md, scenario 6).
 */
class ValidatorTest {

  @Test
  void length_shortValue_isEchoedWhole() {
    KmsException e =
        assertThrows(
            KmsException.class, () -> new Validator().length("keyId", "", 1, 2048).check());
    assertEquals(
        "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint:"
            + " Member must have length greater than or equal to 1",
        e.getMessage());
  }

  @Test
  void length_megabyteValue_isEchoedCut() {
    String huge = "k".repeat(1_000_000);
    KmsException e =
        assertThrows(
            KmsException.class, () -> new Validator().length("keyId", huge, 1, 2048).check());
    assertEquals(
        "1 validation error detected: Value '"
            + "k".repeat(Validator.MAX_SHOWN)
            + "...' at 'keyId' failed to satisfy constraint: Member must have length less than or"
            + " equal to 2048",
        e.getMessage());
  }

  // AWS echoes a too-long tag key or value whole (issue 26); a hostile one is still cut, at
  // Tags.MAX_ECHOED characters.
  @Test
  void tags_tooLongValue_echoedWholeUpToTheTagCap() {
    String value = "v".repeat(Tags.MAX_ECHOED);
    KmsException whole =
        assertThrows(
            KmsException.class, () -> Tags.validate(java.util.List.of(new Tags.Tag("k", value))));
    assertTrue(whole.getMessage().contains("Value '" + value + "' at 'tags.1.member.tagValue'"));
    String huge = "v".repeat(1_000_000);
    KmsException cut =
        assertThrows(
            KmsException.class,
            () ->
                Tags.validate(java.util.List.of(new Tags.Tag("k", "v"), new Tags.Tag("k2", huge))));
    assertTrue(cut.getMessage().contains("Value '" + value + "...' at 'tags.2.member.tagValue'"));
    assertTrue(cut.getMessage().length() < Tags.MAX_ECHOED + 200, cut.getMessage());
  }

  @Test
  void oneOf_longValue_isEchoedCut() {
    KmsException e =
        assertThrows(
            KmsException.class,
            () ->
                new Validator().oneOf("keySpec", "X".repeat(5000), java.util.List.of("A")).check());
    assertTrue(e.getMessage().length() < 400, e.getMessage());
  }
}
