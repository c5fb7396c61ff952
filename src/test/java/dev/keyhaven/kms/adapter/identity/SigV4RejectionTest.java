package dev.keyhaven.kms.adapter.identity;

import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.BODY;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.NOW;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.NOW_BASIC;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.REGION;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.SDK_SIGNED;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.kmsHeaders;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.rejected;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.signedKmsRequest;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.withHeader;
import static dev.keyhaven.kms.domain.error.ErrorCode.INVALID_SIGNATURE;
import static dev.keyhaven.kms.domain.error.ErrorCode.UNRECOGNIZED_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.operation.port.Authenticator.HttpRequestView;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests that must never authenticate, each refused with AWS's code (400) and never an unchecked
 * exception: forged or tampered signatures, a wrong scope, an unknown key, a request time out of
 * the 15-minute window. Malformed headers are in {@link SigV4MalformedHeaderTest}.
 */
class SigV4RejectionTest {
  private static final String MISMATCH =
      "The request signature we calculated does not match the signature you provided. Check your"
          + " AWS Secret Access Key and signing method. Consult the service documentation for"
          + " details.";
  private static final SigV4Verifier VERIFIER = SigV4Fixture.verifier(NOW);

  @BeforeAll
  static void registerProvider() {
    Fips.PROVIDER.getName();
  }

  private static HttpRequestView signedBy(
      SpecSigner signer, Map<String, String> headers, List<String> signed) {
    return signedKmsRequest(signer, headers, signed, BODY);
  }

  private static SpecSigner signer(String secret, String region, String service) {
    return new SpecSigner(SpecSigner.AKID, secret, region, service);
  }

  private static void mismatch(HttpRequestView request) {
    assertEquals(MISMATCH, rejected(VERIFIER, request, INVALID_SIGNATURE).getMessage());
  }

  @Test
  void verify_wrongSecret_invalidSignature() {
    mismatch(
        signedBy(
            signer("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ", REGION, "kms"),
            kmsHeaders(NOW_BASIC, BODY),
            SDK_SIGNED));
  }

  @Test
  void verify_tamperedBody_invalidSignature() {
    HttpRequestView valid = signedKmsRequest();
    byte[] tampered = BODY.clone();
    tampered[10] ^= 1;
    HttpRequestView withHash = new HttpRequestView("POST", "/", "", valid.headers(), tampered);
    assertEquals(
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        rejected(VERIFIER, withHash, INVALID_SIGNATURE).getMessage());
    List<String> signed = new ArrayList<>(SDK_SIGNED);
    signed.remove("x-amz-content-sha256");
    HttpRequestView noHashHeader =
        withHeader(
            signedBy(signer(SpecSigner.SECRET, REGION, "kms"), kmsHeaders(NOW_BASIC, BODY), signed),
            "x-amz-content-sha256",
            null);
    VERIFIER.verify(noHashHeader);
    mismatch(new HttpRequestView("POST", "/", "", noHashHeader.headers(), tampered));
  }

  @Test
  void verify_everySingleBitFlipOfBody_rejected() {
    HttpRequestView valid = signedKmsRequest();
    for (int bit = 0; bit < BODY.length * 8; bit++) {
      byte[] tampered = BODY.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      rejected(
          VERIFIER,
          new HttpRequestView("POST", "/", "", valid.headers(), tampered),
          INVALID_SIGNATURE);
    }
  }

  @Test
  void verify_anySignedHeaderValueTamperedOrSignatureDigitChanged_invalidSignature() {
    HttpRequestView valid = signedKmsRequest();
    for (String name : SDK_SIGNED) {
      if (!name.equals("x-amz-date") && !name.equals("x-amz-content-sha256")) {
        mismatch(withHeader(valid, name, valid.headers().get(name) + "x"));
      }
    }
    mismatch(withHeader(valid, "x-amz-target", "TrentService.Decrypt"));
    String authorization = valid.headers().get("authorization");
    int at = authorization.indexOf("Signature=") + "Signature=".length();
    for (int i = at; i < authorization.length(); i++) {
      char c = authorization.charAt(i);
      String changed =
          authorization.substring(0, i) + (c == '0' ? '1' : '0') + authorization.substring(i + 1);
      mismatch(withHeader(valid, "authorization", changed));
    }
    rejected(VERIFIER, withHeader(valid, "x-amz-date", "20260314T092654Z"), INVALID_SIGNATURE);
  }

  @Test
  void verify_headerInSignedHeadersButAbsent_invalidSignature() {
    List<String> signed = new ArrayList<>(SDK_SIGNED);
    signed.add("x-amz-security-token");
    mismatch(
        signedBy(signer(SpecSigner.SECRET, REGION, "kms"), kmsHeaders(NOW_BASIC, BODY), signed));
    mismatch(withHeader(signedKmsRequest(), "amz-sdk-invocation-id", null));
  }

  @Test
  void verify_staleBy16Minutes_signatureExpired() {
    assertEquals(
        "Signature expired: 20260314T092653Z is now earlier than 20260314T092753Z"
            + " (20260314T094253Z - 15 min.)",
        rejected(
                SigV4Fixture.verifier(NOW.plusSeconds(16 * 60)),
                signedKmsRequest(),
                INVALID_SIGNATURE)
            .getMessage());
  }

  @Test
  void verify_16MinutesAhead_signatureNotYetCurrent() {
    assertEquals(
        "Signature not yet current: 20260314T092653Z is still later than 20260314T092553Z"
            + " (20260314T091053Z + 15 min.)",
        rejected(
                SigV4Fixture.verifier(NOW.minusSeconds(16 * 60)),
                signedKmsRequest(),
                INVALID_SIGNATURE)
            .getMessage());
  }

  @Test
  void verify_replayedAfterTheWindow_rejected() {
    HttpRequestView captured = signedKmsRequest();
    SigV4Fixture.verifier(NOW.plusSeconds(60)).verify(captured);
    SigV4Fixture.verifier(NOW.plusSeconds(14 * 60)).verify(captured);
    rejected(SigV4Fixture.verifier(NOW.plusSeconds(15 * 60 + 1)), captured, INVALID_SIGNATURE);
  }

  @Test
  void verify_wrongRegionOrService_invalidSignature() {
    mismatch(
        signedBy(
            signer(SpecSigner.SECRET, "us-east-1", "kms"),
            kmsHeaders(NOW_BASIC, BODY),
            SDK_SIGNED));
    mismatch(
        signedBy(
            signer(SpecSigner.SECRET, REGION, "iam"), kmsHeaders(NOW_BASIC, BODY), SDK_SIGNED));
  }

  @Test
  void verify_unknownAccessKeyId_unrecognizedClient() {
    HttpRequestView request =
        signedBy(
            new SpecSigner("AKIAUNKNOWN0000000000", SpecSigner.SECRET, REGION, "kms"),
            kmsHeaders(NOW_BASIC, BODY),
            SDK_SIGNED);
    assertEquals(
        "The security token included in the request is invalid.",
        rejected(VERIFIER, request, UNRECOGNIZED_CLIENT).getMessage());
    SigV4Verifier noKeys =
        new SigV4Verifier(
            REGION, "kms", Clock.fixed(NOW, ZoneOffset.UTC), id -> java.util.Optional.empty());
    rejected(noKeys, signedKmsRequest(), UNRECOGNIZED_CLIENT);
  }

  @Test
  void verify_contentSha256HeaderNotTheBodyHash_invalidSignature() {
    Map<String, String> headers = kmsHeaders(NOW_BASIC, BODY);
    headers.put("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    rejected(
        VERIFIER,
        signedBy(signer(SpecSigner.SECRET, REGION, "kms"), headers, SDK_SIGNED),
        INVALID_SIGNATURE);
    headers.put("x-amz-content-sha256", SpecSigner.hex(SpecSigner.sha256(new byte[0])));
    rejected(
        VERIFIER,
        signedBy(signer(SpecSigner.SECRET, REGION, "kms"), headers, SDK_SIGNED),
        INVALID_SIGNATURE);
  }

  @Test
  void verify_scopeDateNotTheRequestDate_invalidSignature() {
    HttpRequestView valid = signedKmsRequest();
    String forged = valid.headers().get("authorization").replace("/20260314/", "/20260313/");
    assertEquals(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date"
            + " from HTTP: '20260313' != '20260314', from '20260314T092653Z'.",
        rejected(VERIFIER, withHeader(valid, "authorization", forged), INVALID_SIGNATURE)
            .getMessage());
  }
}
