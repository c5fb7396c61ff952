package dev.keyhaven.kms.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The log sink seen from the request path (docs/audit.md, "Log sink"): every request — a state
 * change (its event echoed after its transaction), concurrent reads (echoed by the audit writer per
 * group commit), a read that fails and a state change that fails — leaves exactly one line in
 * {@value AuditRecorder#LOG_CATEGORY}, and that line is the stored event's canonical JSON. The
 * in-process profile turns the sink off; this test turns it on and captures its records.
 */
@QuarkusTest
class AuditSinkTest {
  @Inject Pool pool;

  @Test
  void everyRequest_leavesOneSinkLine_theStoredCanonicalJson() throws Exception {
    Logger sink = Logger.getLogger(AuditRecorder.LOG_CATEGORY);
    Level level = sink.getLevel();
    List<String> messages = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            messages.add(record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    List<String> requestIds = new ArrayList<>();
    sink.setLevel(Level.INFO);
    sink.addHandler(capture);
    ExecutorService clients = Executors.newFixedThreadPool(16);
    try {
      KmsApi root = KmsApi.newAccount();
      var created = root.call("CreateKey", Map.of()).statusCode(200).extract();
      requestIds.add(created.header("x-amzn-RequestId"));
      String keyId = created.path("KeyMetadata.KeyId");
      List<Future<String>> encrypts = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        encrypts.add(
            clients.submit(
                () ->
                    root.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "aGVsbG8="))
                        .statusCode(200)
                        .extract()
                        .header("x-amzn-RequestId")));
      }
      for (Future<String> encrypt : encrypts) {
        requestIds.add(encrypt.get());
      }
      requestIds.add(
          root.call("DescribeKey", Map.of("KeyId", "alias/none"))
              .statusCode(400)
              .extract()
              .header("x-amzn-RequestId"));
      requestIds.add(
          root.call("DisableKey", Map.of("KeyId", "0b0e5d8a-54a1-4c55-9d4b-6f1c1f0e1a01"))
              .statusCode(400)
              .extract()
              .header("x-amzn-RequestId"));
    } finally {
      clients.shutdownNow();
      sink.removeHandler(capture);
      sink.setLevel(level);
    }

    List<String> lines =
        messages.stream().flatMap(message -> Arrays.stream(message.split("\n", -1))).toList();
    for (String requestId : requestIds) {
      assertNotNull(requestId);
      String marker = "\"requestID\":\"" + requestId + "\"";
      List<String> echoed = lines.stream().filter(line -> line.contains(marker)).toList();
      assertEquals(1, echoed.size(), "sink lines of request " + requestId);
      String stored =
          pool.preparedQuery("SELECT event_json FROM audit_event WHERE request_id = $1")
              .execute(Tuple.of(requestId))
              .await()
              .indefinitely()
              .iterator()
              .next()
              .getString(0);
      assertEquals(stored, echoed.get(0), "the sink line is the stored canonical JSON");
    }
  }
}
