package dev.keyhaven.kms.adapter.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Canonical header values (AWS General Reference, "Create a signed AWS API request", step 1: "trim
 * any leading or trailing spaces, convert sequential spaces to a single space") and paths,
 * including the shortcuts for values that are already canonical.
 */
class SigV4CanonicalTest {

  /** The rule written independently: runs of spaces and tabs become one space, ends trimmed. */
  private static String expected(String value) {
    return value.replaceAll("[ \t]+", " ").strip();
  }

  @Test
  void headerValue_everyMixOfSpacesTabsAndText_trimmedAndCollapsed() {
    Random random = new Random(20260314);
    char[] alphabet = {'a', 'b', ' ', '\t', ';', '='};
    List<String> wrong = new ArrayList<>();
    for (int n = 0; n < 20_000; n++) {
      char[] value = new char[random.nextInt(9)];
      for (int i = 0; i < value.length; i++) {
        value[i] = alphabet[random.nextInt(alphabet.length)];
      }
      String text = new String(value);
      if (!expected(text).equals(SigV4Canonical.headerValue(text))) {
        wrong.add("[" + text + "] -> [" + SigV4Canonical.headerValue(text) + "]");
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void headerValue_alreadyCanonical_returnedUnchanged() {
    String value = "application/x-amz-json-1.1; charset=utf-8";
    assertSame(value, SigV4Canonical.headerValue(value));
  }

  @Test
  void uri_rootAndEquivalentForms_slash() {
    for (String path : new String[] {"/", "", "//", "/./", "/a/.."}) {
      assertEquals("/", SigV4Canonical.uri(path), path);
    }
  }
}
