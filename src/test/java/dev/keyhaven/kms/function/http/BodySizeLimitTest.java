package dev.keyhaven.kms.function.http;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.parsing.Parser;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A body over {@code quarkus.http.limits.max-body-size} (1 MiB) is refused before parsing with an
 * AWS JSON error an SDK can read (security reference P10; docs/reliability.md, scenario 6: the
 * 10 MB body) — not Vert.x's empty 413; a body of exactly the limit still reaches the protocol.
 */
@QuarkusTest
class BodySizeLimitTest {
  private static final int LIMIT = 1024 * 1024;

  @Test
  void bodyOverLimit_is413ValidationException_withAwsJsonBody() {
    KmsApi caller = KmsApi.newAccount();
    KmsApi.request()
        .header("Authorization", "Bearer " + caller.token())
        .header("X-Amz-Target", "TrentService.Encrypt")
        .contentType(KmsApi.CONTENT_TYPE)
        .body(jsonOfLength(LIMIT + 1))
        .post("/")
        .then()
        .parser(KmsApi.CONTENT_TYPE, Parser.JSON)
        .statusCode(413)
        .header("x-amzn-RequestId", notNullValue())
        .body("__type", equalTo("ValidationException"))
        .body("message", equalTo("The request body is larger than the maximum of 1048576 bytes."));
  }

  @Test
  void bodyAtLimit_reachesTheProtocolLayer() {
    KmsApi caller = KmsApi.newAccount();
    KmsApi.request()
        .header("Authorization", "Bearer " + caller.token())
        .header("X-Amz-Target", "TrentService.Encrypt")
        .contentType(KmsApi.CONTENT_TYPE)
        .body(jsonOfLength(LIMIT))
        .post("/")
        .then()
        .parser(KmsApi.CONTENT_TYPE, Parser.JSON)
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
  }

  @Test
  void declaredLength_unreadableCountsAsZero() {
    assertEquals(0, BodySizeLimit.declaredLength(null));
    assertEquals(0, BodySizeLimit.declaredLength("abc"));
    assertEquals(LIMIT + 1, BodySizeLimit.declaredLength(" 1048577 "));
  }

  /** {@code {"KeyId":"aaa…"}} of exactly {@code length} bytes. */
  private static String jsonOfLength(int length) {
    char[] id = new char[length - "{\"KeyId\":\"\"}".length()];
    Arrays.fill(id, 'a');
    return "{\"KeyId\":\"" + new String(id) + "\"}";
  }
}
