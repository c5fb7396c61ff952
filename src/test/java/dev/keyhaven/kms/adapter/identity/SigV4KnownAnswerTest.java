package dev.keyhaven.kms.adapter.identity;

import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.NOW;
import static dev.keyhaven.kms.adapter.identity.SigV4Fixture.PRINCIPAL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyhaven.kms.adapter.fips.Fips;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.policy.Credential;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.port.Authenticator.HttpRequestView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known answers: the IAM ListUsers example of the AWS General Reference ("Create a signed AWS API
 * request"), vectors of the AWS SigV4 test suite, a KMS Encrypt captured from the AWS SDK for Java
 * v2 (2.57.8), and a KMS call signed by the independent {@link SpecSigner}.
 */
class SigV4KnownAnswerTest {
  private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
  private static final String EMPTY_HASH =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @BeforeAll
  static void registerProvider() {
    Fips.PROVIDER.getName();
  }

  private static SigV4Verifier verifier(String region, String service, Instant now) {
    return new SigV4Verifier(
        region, service, Clock.fixed(now, ZoneOffset.UTC), SigV4Fixture.lookup());
  }

  private static String authorization(String service, String signedHeaders, String signature) {
    return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
        + service
        + "/aws4_request, SignedHeaders="
        + signedHeaders
        + ", Signature="
        + signature;
  }

  @Test
  void iamListUsersDocExample_canonicalRequestSigningKeyAndSignature_matchTheReference()
      throws Exception {
    Map<String, String> headers = new HashMap<>();
    headers.put("content-type", "application/x-www-form-urlencoded; charset=utf-8");
    headers.put("host", "iam.amazonaws.com");
    headers.put("x-amz-date", "20150830T123600Z");
    List<String> signed = List.of("content-type", "host", "x-amz-date");
    String canonical =
        SigV4Canonical.request(
                "GET", "/", "Action=ListUsers&Version=2010-05-08", headers, signed, EMPTY_HASH)
            .orElseThrow();
    assertEquals(
        "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
            + "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n"
            + "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
            + EMPTY_HASH,
        canonical);
    assertEquals(
        "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
        SpecSigner.hex(SpecSigner.sha256(canonical.getBytes(StandardCharsets.UTF_8))));
    SecretBytes secret = SecretBytes.adopt(SpecSigner.SECRET.getBytes(StandardCharsets.UTF_8));
    byte[] key =
        new SigningKeyCache(4)
            .signingKey("AKIDEXAMPLE", secret, "20150830", "us-east-1", "iam")
            .encoded();
    assertEquals(
        "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
        HexFormat.of().formatHex(key));

    headers.put(
        "authorization",
        authorization(
            "iam",
            "content-type;host;x-amz-date",
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"));
    HttpRequestView request =
        new HttpRequestView(
            "GET", "/", "Action=ListUsers&Version=2010-05-08", headers, new byte[0]);
    CallerIdentity caller = verifier("us-east-1", "iam", SUITE_TIME).verify(request);
    assertEquals(
        new CallerIdentity(
            Principal.parse(PRINCIPAL).orElseThrow(), new Credential.SigV4("AKIDEXAMPLE")),
        caller);
  }

  // aws-sig-v4-test-suite (service "service", us-east-1, 20150830T123600Z), normalized variants.
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      get-vanilla                      | GET  | /                        |                      | 5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31
      post-vanilla                     | POST | /                        |                      | 5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b
      get-vanilla-query-order-key-case | GET  | /                        | Param2=value2&Param1=value1 | b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500
      post-vanilla-query               | POST | /                        | Param1=value1        | 28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11
      get-vanilla-query-unreserved     | GET  | /                        | -._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz | 9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197
      get-utf8                         | GET  | /ሴ                       |                      | 8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85
      get-space                        | GET  | /example space/          |                      | 652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741
      get-slashes                      | GET  | //example//              |                      | 9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84
      get-slash-pointless-dot          | GET  | /./example               |                      | ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5
      get-relative-relative            | GET  | /example1/example2/../.. |                      | 5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31
      """)
  void verify_sigV4TestSuiteVector_accepted(
      String name, String method, String path, String query, String signature) {
    Map<String, String> headers = new HashMap<>();
    headers.put("host", "example.amazonaws.com");
    headers.put("x-amz-date", "20150830T123600Z");
    headers.put("authorization", authorization("service", "host;x-amz-date", signature));
    HttpRequestView request =
        new HttpRequestView(method, path, query == null ? "" : query, headers, new byte[0]);
    assertEquals(
        PRINCIPAL, verifier("us-east-1", "service", SUITE_TIME).verify(request).principalArn());
  }

  @Test
  void verify_sigV4TestSuiteHeaderValueTrim_accepted() {
    Map<String, String> headers = new HashMap<>();
    headers.put("host", "example.amazonaws.com");
    headers.put("my-header1", " value1");
    headers.put("my-header2", " \"a   b   c\"");
    headers.put("x-amz-date", "20150830T123600Z");
    headers.put(
        "authorization",
        authorization(
            "service",
            "host;my-header1;my-header2;x-amz-date",
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"));
    HttpRequestView request = new HttpRequestView("GET", "/", "", headers, new byte[0]);
    assertEquals(
        PRINCIPAL, verifier("us-east-1", "service", SUITE_TIME).verify(request).principalArn());
  }

  // Captured from KmsClient (AWS SDK for Java 2.57.8) Encrypt against http://localhost:8080.
  @Test
  void verify_awsSdkV2KmsEncryptCapture_accepted() {
    byte[] body =
        "{\"KeyId\":\"alias/app\",\"Plaintext\":\"aGVsbG8=\"}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>();
    headers.put(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/eu-west-1/kms/"
            + "aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;"
            + "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, "
            + "Signature=0a887f89794f49f82e0cecb79a858237ba26f1e15fe0960f92fb385d6d1de8b8");
    headers.put("amz-sdk-invocation-id", "77097445-7ff6-f591-19f8-6fcf5d702b35");
    headers.put("amz-sdk-request", "attempt=1; max=4");
    headers.put("content-length", "44");
    headers.put("content-type", "application/x-amz-json-1.1");
    headers.put("host", "localhost:8080");
    headers.put(
        "user-agent", "aws-sdk-java/2.57.8 md/io#sync md/http#UNKNOWN ua/2.1 api/KMS#2.57.x");
    headers.put(
        "x-amz-content-sha256", "32408da1d1d680d8ed1eedc9dffa986f3e7e447bf8d4b774cf0a7cb69723d1cc");
    headers.put("x-amz-date", "20261128T230548Z");
    headers.put("x-amz-target", "TrentService.Encrypt");
    HttpRequestView request = new HttpRequestView("POST", "/", "", headers, body);
    SigV4Verifier verifier = verifier("eu-west-1", "kms", Instant.parse("2026-11-28T23:10:00Z"));
    assertEquals(PRINCIPAL, verifier.verify(request).principalArn());
  }

  @Test
  void verify_kmsPostSignedByIndependentSigner_accepted() {
    CallerIdentity caller = SigV4Fixture.verifier(NOW).verify(SigV4Fixture.signedKmsRequest());
    assertEquals(
        new CallerIdentity(
            Principal.parse(PRINCIPAL).orElseThrow(), new Credential.SigV4("AKIDEXAMPLE")),
        caller);
  }

  @Test
  void verify_exactlyFifteenMinutesOffEitherWay_accepted() {
    HttpRequestView request = SigV4Fixture.signedKmsRequest();
    SigV4Fixture.verifier(NOW.plusSeconds(15 * 60)).verify(request);
    SigV4Fixture.verifier(NOW.minusSeconds(15 * 60)).verify(request);
  }

  @Test
  void verify_dateHeaderInsteadOfXAmzDate_accepted() {
    Map<String, String> headers =
        SigV4Fixture.kmsHeaders(SigV4Fixture.NOW_BASIC, SigV4Fixture.BODY);
    headers.put("date", "Sat, 14 Mar 2026 09:26:53 GMT");
    List<String> signed = List.of("content-type", "date", "host", "x-amz-target");
    SpecSigner signer =
        new SpecSigner(SpecSigner.AKID, SpecSigner.SECRET, SigV4Fixture.REGION, "kms");
    Map<String, String> withAuth = new HashMap<>(headers);
    withAuth.put(
        "authorization", signer.authorization("POST", "", headers, signed, SigV4Fixture.BODY));
    withAuth.remove("x-amz-date");
    HttpRequestView request = new HttpRequestView("POST", "/", "", withAuth, SigV4Fixture.BODY);
    assertEquals(PRINCIPAL, SigV4Fixture.verifier(NOW).verify(request).principalArn());
  }

  @Test
  void canonicalUri_wirePathWithPercentEscape_encodedOnceMore() {
    assertEquals("/a%2520b/%25E1%2588%25B4", SigV4Canonical.uri("/a%20b/%E1%88%B4"));
    assertEquals("/", SigV4Canonical.uri(""));
  }
}
