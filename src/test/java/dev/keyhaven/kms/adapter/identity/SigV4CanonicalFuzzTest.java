package dev.keyhaven.kms.adapter.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyhaven.kms.domain.error.KmsException;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target: the SigV4 canonicalizer and the Authorization header parser (docs/reliability.md,
 * section 7). Contracts: the canonical URI starts with {@code /} and holds only unreserved
 * characters, {@code /} and {@code %XX}; the canonical query holds only those and {@code =&}; a
 * canonical header value has no edge blanks and no run of blanks, and canonicalizing it again
 * changes nothing; the header parser returns a credential or throws a client-fault AWS error (the
 * caller's 4xx), never anything else. Without JAZZER_FUZZ it replays the corpus in
 * src/test/resources/.../SigV4CanonicalFuzzTestInputs.
 */
class SigV4CanonicalFuzzTest {

  @FuzzTest(maxDuration = "25s")
  void canonicalize_anyRequest_keepsTheSigV4Rules(FuzzedDataProvider data) {
    String path = data.consumeString(200);
    String query = data.consumeString(200);
    String value = data.consumeString(100);
    String header = data.consumeRemainingAsString();

    String uri = SigV4Canonical.uri(path);
    assertTrue(uri.startsWith("/") && encodedWith(uri, "/"), uri);
    String canonicalQuery = SigV4Canonical.query(query);
    assertTrue(encodedWith(canonicalQuery, "=&"), canonicalQuery);
    String canonicalValue = SigV4Canonical.headerValue(value);
    assertFalse(canonicalValue.startsWith(" ") || canonicalValue.endsWith(" "), canonicalValue);
    assertFalse(canonicalValue.contains("  ") || canonicalValue.contains("\t"), canonicalValue);
    assertEquals(canonicalValue, SigV4Canonical.headerValue(canonicalValue));
    SigV4Canonical.request("POST", path, query, Map.of("host", value), List.of("host"), "e3b0");

    try {
      SigV4Authorization parsed = SigV4Authorization.parse(SigV4Authorization.ALGORITHM + header);
      assertFalse(parsed.signedHeaders().isEmpty());
    } catch (KmsException e) {
      assertTrue(e.code().isClientFault(), e.code().awsType());
    }
  }

  /**
   * Only SigV4-encoded text: unreserved characters, {@code %XX} with upper-case hex, and the {@code
   * separators}. (A loop, not a regex: Jazzer's regex hooks would slow every run.)
   */
  private static boolean encodedWith(String text, String separators) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()
            || !upperHex(text.charAt(i + 1))
            || !upperHex(text.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (!(c >= 'A' && c <= 'Z'
          || c >= 'a' && c <= 'z'
          || c >= '0' && c <= '9'
          || "-._~".indexOf(c) >= 0
          || separators.indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean upperHex(char c) {
    return c >= '0' && c <= '9' || c >= 'A' && c <= 'F';
  }
}
