package dev.keyhaven.kms.function.http;

import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 7: every request leaves one audit event — also one that is not {@code POST} to a
 * KMS path ({@code GET /}, {@code POST /x}, ...). The answer stays what it was (405 or 404), now
 * with a request id naming the event; the event carries an error code and the connection's source
 * address, and no body, query string or credential.
 */
@QuarkusTest
class EveryRequestAuditedTest {
  private static final String SECRET = "s3cr3t-in-the-body";

  @Inject Pool pool;

  private ExtractableResponse<Response> send(String method, String path) {
    KmsApi caller = KmsApi.newAccount();
    var request =
        KmsApi.request()
            .header("Authorization", "Bearer " + caller.token())
            .header("X-Amz-Target", "TrentService.ListKeys");
    if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS")) {
      request = request.contentType(KmsApi.CONTENT_TYPE).body("{\"Secret\":\"" + SECRET + "\"}");
    }
    return request
        .request(method, path)
        .then()
        .header("x-amzn-RequestId", notNullValue())
        .extract();
  }

  private Row event(String requestId) {
    var rows =
        pool.preparedQuery(
                "SELECT error_code, event_json, principal_arn FROM audit_event WHERE request_id = $1")
            .execute(Tuple.of(requestId))
            .await()
            .atMost(Duration.ofSeconds(30));
    assertEquals(1, rows.rowCount(), "audit events for request " + requestId);
    return rows.iterator().next();
  }

  private void assertAudited(String method, String path, int status) {
    var answer = send(method, path);
    assertEquals(status, answer.statusCode(), method + " " + path);
    Row event = event(answer.header("x-amzn-RequestId"));
    String json = event.getString(1);
    assertTrue(event.getString(0) != null && !event.getString(0).isBlank(), json);
    assertTrue(json.contains("\"sourceIPAddress\":\"127.0.0.1\""), json);
    assertFalse(json.contains(SECRET), json);
    assertFalse(json.contains("query-secret"), json);
  }

  @Test
  void getRoot_405_audited() {
    assertAudited("GET", "/", 405);
  }

  @Test
  void otherMethodsOnKmsPaths_405_audited() {
    assertAudited("PUT", "/", 405);
    assertAudited("DELETE", "/admin", 405);
  }

  /** Quarkus REST would answer OPTIONS itself (200, no event): Keyhaven serves no preflight. */
  @Test
  void options_405OnKmsPaths404Elsewhere_audited() {
    assertAudited("OPTIONS", "/", 405);
    assertAudited("OPTIONS", "/admin/", 405);
    assertAudited("OPTIONS", "/x", 404);
  }

  @Test
  void postOtherPath_404_audited() {
    assertAudited("POST", "/x", 404);
    assertAudited("POST", "/administrator?token=query-secret", 404);
  }

  @Test
  void getOtherPath_404_audited() {
    assertAudited("GET", "/x/y?token=query-secret", 404);
  }
}
