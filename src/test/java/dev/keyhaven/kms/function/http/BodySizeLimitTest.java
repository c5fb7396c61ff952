package dev.keyhaven.kms.function.http;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.parsing.Parser;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A body over {@code quarkus.http.limits.max-body-size} (1 MiB) is refused before parsing with an
 * AWS JSON error an SDK can read (security reference P10; docs/reliability.md, scenario 6: the 10
 * MB body) — not Vert.x's empty 413; a body of exactly the limit still reaches the protocol.
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

  /**
   * A client that writes its whole 10 MB body before reading (as rest-assured and many SDK HTTP
   * clients do) still reads the 413: the server drops the rest of the body instead of resetting the
   * connection under it (a CI run saw "Broken pipe" before the lingering close).
   */
  @Test
  void bodyOverLimit_clientWritingItAllFirst_stillReads413() throws Exception {
    KmsApi caller = KmsApi.newAccount();
    byte[] body = new byte[10 * LIMIT];
    Arrays.fill(body, (byte) 'a');
    String head =
        "POST / HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
            + caller.token()
            + "\r\nX-Amz-Target: TrentService.Encrypt\r\nContent-Type: "
            + KmsApi.CONTENT_TYPE
            + "\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    for (int i = 0; i < 5; i++) {
      try (Socket socket = new Socket("localhost", RestAssured.port)) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String answer =
            new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      }
    }
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
