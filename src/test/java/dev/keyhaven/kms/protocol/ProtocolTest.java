package dev.keyhaven.kms.protocol;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The AWS JSON 1.1 wire protocol and its defences: dispatch on X-Amz-Target, error bodies, request
 * ids, and bounded parsing of hostile input (security reference P10–P11). After every bad request
 * the service still answers a good one.
 */
@QuarkusTest
class ProtocolTest {
  private final KmsApi kms = KmsApi.newAccount();

  private void stillServing() {
    kms.call("GenerateRandom", Map.of("NumberOfBytes", 8)).statusCode(200);
  }

  @Test
  void everyResponse_hasRequestIdAndAwsContentType() {
    kms.call("GenerateRandom", Map.of("NumberOfBytes", 8))
        .statusCode(200)
        .header("x-amzn-RequestId", matchesPattern("[0-9a-f-]{36}"))
        .header("Content-Type", containsString("application/x-amz-json-1.1"));
    kms.call("DescribeKey", Map.of())
        .statusCode(400)
        .header("x-amzn-RequestId", matchesPattern("[0-9a-f-]{36}"));
  }

  @Test
  void unknownOrMissingTarget_unknownOperationException() {
    kms.call("DestroyEverything", Map.of())
        .statusCode(400)
        .body("__type", equalTo("UnknownOperationException"));
    KmsApi.request()
        .header("Authorization", "Bearer " + kms.token())
        .contentType(KmsApi.CONTENT_TYPE)
        .body("{}")
        .post("/")
        .then()
        .statusCode(400)
        .body(containsString("UnknownOperationException"));
    stillServing();
  }

  @Test
  void malformedJson_serializationException() {
    for (String bad : new String[] {"{", "[]", "\"text\"", "{\"KeyId\": }", "{} {}", "nul"}) {
      kms.callRaw("DescribeKey", bad)
          .statusCode(400)
          .body("__type", equalTo("SerializationException"));
    }
    stillServing();
  }

  @Test
  void wrongMemberTypes_serializationExceptionWithoutEcho() {
    kms.callRaw("Encrypt", "{\"KeyId\": 5, \"Plaintext\": \"AQ==\"}")
        .statusCode(400)
        .body("__type", equalTo("SerializationException"));
    kms.callRaw("GenerateRandom", "{\"NumberOfBytes\": \"32\"}")
        .statusCode(400)
        .body("__type", equalTo("SerializationException"));
    kms.callRaw("Encrypt", "{\"KeyId\": \"k\", \"Plaintext\": \"not base64 at all!!\"}")
        .statusCode(400)
        .body("__type", equalTo("SerializationException"))
        .body("message", not(containsString("base64 at all")));
    kms.callRaw(
            "Encrypt",
            "{\"KeyId\": \"k\", \"Plaintext\": \"AQ==\", \"EncryptionContext\": {\"a\": 1}}")
        .statusCode(400)
        .body("__type", equalTo("SerializationException"));
    stillServing();
  }

  @Test
  void unknownMembers_ignoredLikeAws() {
    kms.callRaw("GenerateRandom", "{\"NumberOfBytes\": 8, \"FutureMember\": {\"x\": [1, 2]}}")
        .statusCode(200);
  }

  @Test
  void emptyBody_readAsEmptyObject() {
    kms.callRaw("ListKeys", "").statusCode(200).body("Truncated", equalTo(false));
  }

  // P11: duplicate member names (an encryption context with a key twice is ambiguous).
  @Test
  void duplicateMembers_rejected() {
    String keyId = kms.createKey();
    kms.callRaw(
            "Encrypt",
            "{\"KeyId\": \""
                + keyId
                + "\", \"Plaintext\": \"AQ==\", \"EncryptionContext\": {\"a\": \"1\", \"a\": \"2\"}}")
        .statusCode(400)
        .body("__type", equalTo("SerializationException"));
    stillServing();
  }

  // P11: nesting and number-length bombs are refused by the parser's limits.
  @Test
  void deepNestingAndHugeNumbers_rejectedQuickly() {
    String deep = "{\"X\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    kms.callRaw("ListKeys", deep).statusCode(400).body("__type", equalTo("SerializationException"));
    kms.callRaw("ListKeys", "{\"Limit\": " + "9".repeat(100_000) + "}")
        .statusCode(400)
        .body("__type", equalTo("SerializationException"));
    stillServing();
  }

  // P10: bodies above the 1 MiB cap are refused before parsing.
  @Test
  void oversizedBody_rejectedWith413() {
    String huge = "{\"Description\": \"" + "a".repeat(2 * 1024 * 1024) + "\"}";
    kms.callRaw("CreateKey", huge).statusCode(413);
    stillServing();
  }

  @Test
  void clientErrors_neverLeakStackTraces() {
    kms.callRaw("Encrypt", "{\"KeyId\": [1]}")
        .statusCode(400)
        .body(not(containsString("at dev.keyhaven")))
        .body(not(containsString("Exception:")));
  }
}
