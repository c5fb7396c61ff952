package dev.keyhaven.kms.function.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.operation.RequestPipeline;
import dev.keyhaven.kms.protocol.KmsRequestHandler;
import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, parts 2–4 (docs/self-hosting.md): readiness and liveness on the main listener, never
 * audited; readiness DOWN while audit appends fail and UP again after; the Prometheus counters
 * count each answered request once, as the audit trail does; the request id is in every log record
 * written while serving a request.
 */
@QuarkusTest
class OperationsEndpointsTest {
  @Inject Pool pool;

  /**
   * The management interface's actual port (a random one in tests: quarkus.management.test-port=0).
   */
  @Inject io.quarkus.value.registry.ValueRegistry values;

  private long count(String sql, Object... params) {
    return pool.preparedQuery(sql)
        .execute(Tuple.from(params))
        .await()
        .atMost(Duration.ofSeconds(30))
        .iterator()
        .next()
        .getLong(0);
  }

  private int ready() {
    return RestAssured.given().get("/q/health/ready").statusCode();
  }

  @Test
  void liveAndReady_upOnTheMainListener_andNeverAudited() {
    long before = count("SELECT count(*) FROM audit_event");
    for (int i = 0; i < 3; i++) {
      RestAssured.given().get("/q/health/live").then().statusCode(200);
      RestAssured.given()
          .get("/q/health/ready")
          .then()
          .statusCode(200)
          .body("status", org.hamcrest.Matchers.equalTo("UP"));
    }
    assertEquals(
        before, count("SELECT count(*) FROM audit_event"), "audit events of health probes");
  }

  @Test
  void metrics_areNotServedOnTheMainListener() {
    // The management interface serves them; on the KMS listener the path is an unknown one
    // (audited 404 like any other).
    assertEquals(404, RestAssured.given().get("/q/metrics").statusCode());
  }

  @Test
  void ready_downWhileAuditAppendsFail_upAgainOnceTheyCanCommit() throws Exception {
    KmsApi root = KmsApi.newAccount();
    String keyId = root.createKey();
    pool.query(
            "CREATE OR REPLACE FUNCTION keyhaven_test_refuse_audit_ready() RETURNS trigger"
                + " LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit unwritable (test)'; END $$")
        .execute()
        .await()
        .indefinitely();
    pool.query(
            "CREATE TRIGGER keyhaven_test_refuse_audit_ready BEFORE INSERT ON audit_event"
                + " FOR EACH ROW EXECUTE FUNCTION keyhaven_test_refuse_audit_ready()")
        .execute()
        .await()
        .indefinitely();
    try {
      root.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "AQID")).statusCode(500);
      assertEquals(503, ready(), "readiness while audit appends fail");
    } finally {
      pool.query("DROP TRIGGER keyhaven_test_refuse_audit_ready ON audit_event")
          .execute()
          .await()
          .indefinitely();
    }
    // The failure window (test profile: 1 s) passes; the probe's write succeeds.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ready() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(200, ready(), "readiness after the audit table accepts inserts again");
  }

  @Test
  void requestCounters_countEachAnswerOnce_asTheAuditTrailDoes() {
    KmsApi root = KmsApi.newAccount();
    Map<String, Double> before = scrape();
    root.createKey();
    root.createKey();
    root.call("DescribeKey", Map.of("KeyId", "alias/missing")).statusCode(400);
    KmsApi.request()
        .header("Authorization", "Bearer not-a-token")
        .header("X-Amz-Target", "TrentService.Encrypt")
        .contentType(KmsApi.CONTENT_TYPE)
        .body("{}")
        .post("/")
        .then()
        .statusCode(400);
    Map<String, Double> after = scrape();
    String created =
        "kms_requests_total{action=\"CreateKey\",error_code=\"none\",outcome=\"success\"}";
    String missing =
        "kms_requests_total{action=\"DescribeKey\",error_code=\"NotFoundException\",outcome=\"client_error\"}";
    String refused =
        "kms_requests_total{action=\"Encrypt\",error_code=\"UnrecognizedClientException\",outcome=\"client_error\"}";
    assertEquals(2.0, delta(before, after, created), created);
    assertEquals(1.0, delta(before, after, missing), missing);
    assertEquals(1.0, delta(before, after, refused), refused);
    // The same answers in the audit trail of this account.
    assertEquals(
        2,
        count(
            "SELECT count(*) FROM audit_event WHERE account_id = $1 AND event_name = 'CreateKey'"
                + " AND error_code IS NULL",
            root.accountId()));
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM audit_event WHERE account_id = $1 AND event_name = 'DescribeKey'"
                + " AND error_code = 'NotFoundException'",
            root.accountId()));
    String latency = "kms_request_duration_seconds_count{action=\"CreateKey\"}";
    assertEquals(2.0, delta(before, after, latency), latency);
    assertTrue(after.getOrDefault("kms_audit_commits_total{result=\"committed\"}", 0.0) > 0);
    assertTrue(after.containsKey("kms_db_pool_max"), "pool bound reported");
    assertTrue(after.containsKey("kms_keys{state=\"Enabled\"}"), "key counts reported");
    for (String series : after.keySet()) {
      assertFalse(series.contains(root.accountId()), "a label names an account: " + series);
    }
  }

  @Test
  void everyLogRecord_whileServingARequest_carriesItsRequestId() {
    List<ExtLogRecord> records = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext
                && record.getLoggerName().equals(RequestPipeline.class.getName())) {
              ext.copyAll(); // the MDC as it is on the logging thread, now
              synchronized (records) {
                records.add(ext);
              }
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    org.jboss.logmanager.Logger logger =
        org.jboss.logmanager.Logger.getLogger(RequestPipeline.class.getName());
    Level level = logger.getLevel();
    logger.setLevel(Level.FINE); // its per-request debug lines
    logger.addHandler(capture);
    String requestId;
    try {
      requestId =
          KmsApi.newAccount()
              .call("DescribeKey", Map.of("KeyId", "alias/missing-for-mdc"))
              .statusCode(400)
              .extract()
              .header("x-amzn-RequestId");
    } finally {
      logger.removeHandler(capture);
      logger.setLevel(level);
    }
    assertNotNull(requestId);
    List<ExtLogRecord> mine;
    synchronized (records) {
      mine = records.stream().filter(r -> r.getFormattedMessage().contains(requestId)).toList();
    }
    assertFalse(mine.isEmpty(), "no log record of the request was written");
    for (ExtLogRecord r : mine) {
      assertEquals(requestId, r.getMdc(KmsRequestHandler.MDC_REQUEST_ID), r.getFormattedMessage());
    }
  }

  private static double delta(
      Map<String, Double> before, Map<String, Double> after, String series) {
    return after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
  }

  /**
   * The exposition as series → value (the text format's sample lines; the black-box stage parses it
   * with prometheus_client).
   */
  private Map<String, Double> scrape() {
    Integer port = values.get(io.quarkus.vertx.http.HttpServer.MANAGEMENT_TEST_PORT);
    if (port == null || port <= 0) {
      port = values.get(io.quarkus.vertx.http.HttpServer.MANAGEMENT_PORT);
    }
    String body =
        RestAssured.given()
            .get("http://127.0.0.1:" + port + "/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    Map<String, Double> samples = new HashMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }
}
