package dev.keyhaven.kms.adapter.identity;

import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.NOW;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.rejected;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.signedKmsRequest;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.withHeader;
import static dev.keyhaven.kms.domain.error.ErrorCode.INCOMPLETE_SIGNATURE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.operation.port.Authenticator.HttpRequestView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed SigV4 Authorization headers: each is an {@code IncompleteSignatureException} (400)
 * worded like AWS's, and no message quotes the signature.
 */
class SigV4MalformedHeaderTest {
  private static final SigV4Verifier VERIFIER = SigV4Fixture.verifier(NOW);
  private static final String SIGNATURE = "a".repeat(64);
  private static final String CREDENTIAL =
      "Credential=AKIDEXAMPLE/20260314/eu-west-1/kms/aws4_request";
  private static final String SIGNED = "SignedHeaders=host;x-amz-date";

  @BeforeAll
  static void registerProvider() {
    Fips.PROVIDER.getName();
  }

  private static String incomplete(String authorization) {
    HttpRequestView request = withHeader(signedKmsRequest(), "authorization", authorization);
    String message = rejected(VERIFIER, request, INCOMPLETE_SIGNATURE).getMessage();
    assertFalse(message.contains(SIGNATURE), message);
    return message;
  }

  @Test
  void verify_missingCredential_incompleteSignature() {
    String header = "AWS4-HMAC-SHA256 " + SIGNED + ", Signature=" + SIGNATURE;
    assertEquals(
        "Authorization header requires 'Credential' parameter. Authorization="
            + "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=<redacted>",
        incomplete(header));
  }

  @Test
  void verify_missingSignedHeaders_incompleteSignature() {
    String message = incomplete("AWS4-HMAC-SHA256 " + CREDENTIAL + ", Signature=" + SIGNATURE);
    assertEquals(
        "Authorization header requires 'SignedHeaders' parameter. Authorization="
            + "AWS4-HMAC-SHA256 "
            + CREDENTIAL
            + ", Signature=<redacted>",
        message);
  }

  @Test
  void verify_missingSignatureOrEverything_incompleteSignature() {
    assertEquals(
        "Authorization header requires 'Signature' parameter. Authorization="
            + "AWS4-HMAC-SHA256 "
            + CREDENTIAL
            + ", "
            + SIGNED,
        incomplete("AWS4-HMAC-SHA256 " + CREDENTIAL + ", " + SIGNED));
    assertEquals(
        "Authorization header requires 'Credential' parameter. Authorization header"
            + " requires 'Signature' parameter. Authorization header requires 'SignedHeaders'"
            + " parameter. Authorization=AWS4-HMAC-SHA256",
        incomplete("AWS4-HMAC-SHA256"));
    incomplete("AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Credential=AKIDEXAMPLE/20260314/eu-west-1/kms",
        "Credential=AKIDEXAMPLE/20260314/eu-west-1/kms/aws4_request/extra",
        "Credential=AKIDEXAMPLE//eu-west-1/kms/aws4_request",
        "Credential=AKIDEXAMPLE/2026-03-14/eu-west-1/kms/aws4_request",
        "Credential=AKIDEXAMPLE/20260314/eu-west-1/kms/aws5_request",
        "Credential=/20260314/eu-west-1/kms/aws4_request"
      })
  void verify_badScopeShape_incompleteSignature(String credential) {
    incomplete("AWS4-HMAC-SHA256 " + credential + ", " + SIGNED + ", Signature=" + SIGNATURE);
  }

  @Test
  void verify_fourElementScope_awsWording() {
    assertEquals(
        "Credential must have exactly 5 slash-delimited elements, e.g."
            + " keyid/date/region/service/term, got 'AKIDEXAMPLE/20260314/eu-west-1/kms'",
        incomplete(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260314/eu-west-1/kms, "
                + SIGNED
                + ", Signature="
                + SIGNATURE));
  }

  @Test
  void verify_signatureNot64LowerHex_incompleteSignature() {
    for (String signature :
        new String[] {"zz", "A".repeat(64), "a".repeat(63), "a".repeat(65), "g".repeat(64)}) {
      incomplete("AWS4-HMAC-SHA256 " + CREDENTIAL + ", " + SIGNED + ", Signature=" + signature);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "AWS4-HMAC-SHA256 Credential AKIDEXAMPLE, SignedHeaders=host, Signature=x",
        "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, Credential=a/b/c/d/e, SignedHeaders=host, Signature=x",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260314/eu-west-1/kms/aws4_request,"
            + " SignedHeaders=host;;x-amz-date, Signature=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260314/eu-west-1/kms/aws4_request,"
            + " SignedHeaders=Host;x-amz-date, Signature=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260314/eu-west-1/kms/aws4_request,"
            + " SignedHeaders=host;host, Signature=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void verify_garbledParameters_incompleteSignature(String authorization) {
    incomplete(authorization);
  }

  @Test
  void verify_hostNotSigned_incompleteSignature() {
    assertEquals(
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        incomplete(
            "AWS4-HMAC-SHA256 "
                + CREDENTIAL
                + ", SignedHeaders=x-amz-date;x-amz-target,"
                + " Signature="
                + SIGNATURE));
  }

  @Test
  void verify_noDateHeader_incompleteSignature() {
    HttpRequestView request = withHeader(signedKmsRequest(), "x-amz-date", null);
    String message = rejected(VERIFIER, request, INCOMPLETE_SIGNATURE).getMessage();
    assertTrue(
        message.startsWith(
            "Authorization header requires existence of either a"
                + " 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential="),
        message);
    String authorization = request.headers().get("authorization");
    assertFalse(message.contains(authorization.substring(authorization.length() - 64)), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-03-14T09:26:53Z", "20260314T092653", "20261314T092653Z", ""})
  void verify_xAmzDateNotIsoBasic_incompleteSignature(String date) {
    rejected(VERIFIER, withHeader(signedKmsRequest(), "x-amz-date", date), INCOMPLETE_SIGNATURE);
  }

  @Test
  void verify_otherAlgorithm_incompleteSignature() {
    incomplete("AWS4-HMAC-SHA512 " + CREDENTIAL + ", " + SIGNED + ", Signature=" + SIGNATURE);
  }
}
