package dev.keyhaven.kms.adapter.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.operation.port.AccessKeyLookup;
import dev.keyhaven.kms.operation.port.Authenticator.HttpRequestView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared pieces of the SigV4 tests: a KMS-shaped request, an access key table, assertions. */
final class SigV4Fixture {
  static final String REGION = "eu-west-1";
  static final String PRINCIPAL = "arn:aws:iam::111122223333:user/alice";
  static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
  static final String NOW_BASIC = "20260314T092653Z";
  static final byte[] BODY =
      "{\"KeyId\":\"alias/app\",\"Plaintext\":\"aGVsbG8=\"}".getBytes(StandardCharsets.UTF_8);

  /** What AWS SDK for Java v2 (2.57) signs on a KMS call. */
  static final List<String> SDK_SIGNED =
      List.of(
          "amz-sdk-invocation-id",
          "amz-sdk-request",
          "content-length",
          "content-type",
          "host",
          "x-amz-content-sha256",
          "x-amz-date",
          "x-amz-target");

  private SigV4Fixture() {}

  /** A lookup that knows only {@code AKIDEXAMPLE} with the documented example secret. */
  static AccessKeyLookup lookup() {
    return lookup(SpecSigner.SECRET);
  }

  static AccessKeyLookup lookup(String secret) {
    return id ->
        SpecSigner.AKID.equals(id)
            ? Optional.of(
                new AccessKeyLookup.Credential(
                    id, PRINCIPAL, SecretBytes.adopt(secret.getBytes(StandardCharsets.UTF_8))))
            : Optional.empty();
  }

  static SigV4Verifier verifier(Instant now) {
    return new SigV4Verifier(REGION, "kms", Clock.fixed(now, ZoneOffset.UTC), lookup());
  }

  /** The headers of a KMS Encrypt call as the SDK sends them, dated {@code amzDate}. */
  static Map<String, String> kmsHeaders(String amzDate, byte[] body) {
    Map<String, String> headers = new HashMap<>();
    headers.put("amz-sdk-invocation-id", "5c3f1c59-1b8e-4a3c-9d2b-6f0e0f3a9b11");
    headers.put("amz-sdk-request", "attempt=1; max=4");
    headers.put("content-length", Integer.toString(body.length));
    headers.put("content-type", "application/x-amz-json-1.1");
    headers.put("host", "kms.eu-west-1.keyhaven.test");
    headers.put("user-agent", "aws-sdk-java/2.57.8 md/io#sync ua/2.1 api/KMS#2.57.x");
    headers.put("x-amz-content-sha256", SpecSigner.hex(SpecSigner.sha256(body)));
    headers.put("x-amz-date", amzDate);
    headers.put("x-amz-target", "TrentService.Encrypt");
    return headers;
  }

  /** A KMS call signed by {@link SpecSigner} over {@code signed}, then given as a request view. */
  static HttpRequestView signedKmsRequest(
      SpecSigner signer, Map<String, String> headers, List<String> signed, byte[] body) {
    Map<String, String> withAuth = new HashMap<>(headers);
    withAuth.put("authorization", signer.authorization("POST", "", headers, signed, body));
    return new HttpRequestView("POST", "/", "", withAuth, body);
  }

  static HttpRequestView signedKmsRequest() {
    return signedKmsRequest(
        new SpecSigner(SpecSigner.AKID, SpecSigner.SECRET, REGION, "kms"),
        kmsHeaders(NOW_BASIC, BODY),
        SDK_SIGNED,
        BODY);
  }

  static HttpRequestView withHeader(HttpRequestView request, String name, String value) {
    Map<String, String> headers = new HashMap<>(request.headers());
    if (value == null) {
      headers.remove(name);
    } else {
      headers.put(name, value);
    }
    return new HttpRequestView(
        request.method(), request.path(), request.rawQuery(), headers, request.body());
  }

  /** Asserts a rejection with exactly this code (any other exception fails the test). */
  static KmsException rejected(SigV4Verifier verifier, HttpRequestView request, ErrorCode code) {
    KmsException e = assertThrows(KmsException.class, () -> verifier.verify(request));
    assertEquals(code, e.code(), e::getMessage);
    assertEquals(400, e.code().httpStatus());
    return e;
  }
}
