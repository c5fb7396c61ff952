package dev.keyhaven.kms.adapter.identity;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each trusted issuer's tokens go to that issuer's verifier; a token of any other iss to none. */
class IssuerParsersTest {
  private final JWTAuthContextInfo primaryContext =
      new JWTAuthContextInfo("https://a.example/jwks", "https://a.example");
  private final JWTParser primary = new DefaultJWTParser(primaryContext);

  @Test
  void forIssuer_routesByExactIssuer() {
    IssuerParsers parsers =
        IssuerParsers.of(
            primary,
            primaryContext,
            List.of(
                "https://b.example|https://b.example/jwks",
                " https://c.example | https://c.example/jwks "));
    JWTParser b = parsers.forIssuer("https://b.example");
    JWTParser c = parsers.forIssuer("https://c.example");
    assertNotSame(primary, b);
    assertNotSame(primary, c);
    assertNotSame(b, c);
    assertSame(primary, parsers.forIssuer("https://a.example"));
    assertNull(parsers.forIssuer("https://B.example"));
    assertNull(parsers.forIssuer("https://b.example/"));
    assertNull(parsers.forIssuer("https://evil.example"));
    assertNull(parsers.forIssuer(null));
  }

  @Test
  void of_malformedOrRepeatedEntry_refused() {
    for (List<String> entries :
        List.of(
            List.of("https://b.example"),
            List.of("https://b.example|"),
            List.of("|https://b.example/jwks"),
            List.of("https://a.example|https://a.example/other-jwks"),
            List.of(
                "https://b.example|https://b.example/jwks", "https://b.example|https://x/jwks"))) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> IssuerParsers.of(primary, primaryContext, entries));
      assertTrue(e.getMessage().startsWith("kms.identity.additional-issuers"), e.getMessage());
    }
  }
}
