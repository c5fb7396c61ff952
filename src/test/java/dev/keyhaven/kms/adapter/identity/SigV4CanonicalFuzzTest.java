package dev.keyhaven.kms.adapter.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyhaven.kms.domain.error.KmsException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
  private static final Pattern CANONICAL_URI = Pattern.compile("/([A-Za-z0-9._~/-]|%[0-9A-F]{2})*");
  private static final Pattern CANONICAL_QUERY =
      Pattern.compile("([A-Za-z0-9._~=&-]|%[0-9A-F]{2})*");

  @FuzzTest(maxDuration = "25s")
  void canonicalize_anyRequest_keepsTheSigV4Rules(FuzzedDataProvider data) {
    String path = data.consumeString(200);
    String query = data.consumeString(200);
    String value = data.consumeString(100);
    String header = data.consumeRemainingAsString();

    String uri = SigV4Canonical.uri(path);
    assertTrue(CANONICAL_URI.matcher(uri).matches(), uri);
    String canonicalQuery = SigV4Canonical.query(query);
    assertTrue(CANONICAL_QUERY.matcher(canonicalQuery).matches(), canonicalQuery);
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
}
