package dev.keyhaven.kms.adapter.identity;

import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.NOW;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.signedKmsRequest;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.withHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.policy.Credential;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.port.Authenticator;
import dev.keyhaven.kms.operation.port.Authenticator.HttpRequestView;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link CompositeAuthenticator} sends each Authorization scheme to its verifier. */
class SigV4CompositeRoutingTest {
  private static final CallerIdentity BEARER_CALLER =
      new CallerIdentity(
          Principal.parse("arn:aws:iam::444455556666:root").orElseThrow(),
          new Credential.Jwt("test", null));

  private final List<String> bearerCalls = new ArrayList<>();
  private final Authenticator bearer =
      request -> {
        bearerCalls.add(request.headers().get("authorization"));
        return Uni.createFrom().item(BEARER_CALLER);
      };
  private final CompositeAuthenticator composite =
      new CompositeAuthenticator(bearer, SigV4Fixture.verifier(NOW));

  @BeforeAll
  static void registerProvider() {
    Fips.PROVIDER.getName();
  }

  @Test
  void authenticate_sigV4Header_verifiedBySigV4() {
    assertEquals(
        new Credential.SigV4("AKIDEXAMPLE"),
        composite.authenticate(signedKmsRequest()).await().indefinitely().credential());
    assertEquals(List.of(), bearerCalls);
  }

  @Test
  void authenticate_badSigV4Header_sigV4ErrorNotBearer() {
    KmsException e =
        assertThrows(
            KmsException.class,
            () ->
                composite
                    .authenticate(
                        withHeader(
                            signedKmsRequest(),
                            "authorization",
                            "AWS4-HMAC-SHA256 Credential=AKIA/20260101"))
                    .await()
                    .indefinitely());
    assertEquals(ErrorCode.INCOMPLETE_SIGNATURE, e.code());
    assertEquals(List.of(), bearerCalls);
  }

  @Test
  void authenticate_bearerOrOtherScheme_toBearerAuthenticator() {
    assertEquals(
        BEARER_CALLER,
        composite
            .authenticate(withHeader(signedKmsRequest(), "authorization", "Bearer a.b.c"))
            .await()
            .indefinitely());
    composite
        .authenticate(withHeader(signedKmsRequest(), "authorization", "AWS4-HMAC-SHA256x"))
        .await()
        .indefinitely();
    assertEquals(List.of("Bearer a.b.c", "AWS4-HMAC-SHA256x"), bearerCalls);
  }

  @Test
  void authenticate_noOrBlankAuthorization_missingAuthenticationToken403() {
    for (String value : new String[] {null, " "}) {
      HttpRequestView request = withHeader(signedKmsRequest(), "authorization", value);
      KmsException e =
          assertThrows(
              KmsException.class, () -> composite.authenticate(request).await().indefinitely());
      assertEquals(ErrorCode.MISSING_AUTHENTICATION_TOKEN, e.code());
      assertEquals(403, e.code().httpStatus());
    }
    assertEquals(List.of(), bearerCalls);
  }

  @Test
  void authenticate_testCredentialsWhenNotEnabled_unrecognizedClient() {
    SpecSigner test = new SpecSigner("test", "test", SigV4Fixture.REGION, "kms");
    HttpRequestView request =
        SigV4Fixture.signedKmsRequest(
            test,
            SigV4Fixture.kmsHeaders(SigV4Fixture.NOW_BASIC, SigV4Fixture.BODY),
            SigV4Fixture.SDK_SIGNED,
            SigV4Fixture.BODY);
    KmsException e =
        assertThrows(
            KmsException.class, () -> composite.authenticate(request).await().indefinitely());
    assertEquals(ErrorCode.UNRECOGNIZED_CLIENT, e.code());
  }
}
