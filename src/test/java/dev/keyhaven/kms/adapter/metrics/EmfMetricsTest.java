package dev.keyhaven.kms.adapter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.support.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Lambda functions' metrics (docs/self-hosting.md, "Lambda functions"): each line is one JSON
 * object in CloudWatch's Embedded Metric Format — {@code _aws.CloudWatchMetrics} naming namespace,
 * dimension sets and metrics, and every dimension and metric as a top-level member.
 */
class EmfMetricsTest {
  private final List<String> lines = new ArrayList<>();
  private final EmfMetrics emf =
      new EmfMetrics(new ManualClock(Instant.ofEpochMilli(1_765_000_000_000L)), lines::add);
  private final ObjectMapper json = new ObjectMapper();

  /** Every dimension and metric the metadata names is a member of the object (the EMF rule). */
  private JsonNode valid(String line) throws Exception {
    JsonNode root = json.readTree(line);
    JsonNode directive = root.get("_aws").get("CloudWatchMetrics").get(0);
    assertEquals(1_765_000_000_000L, root.get("_aws").get("Timestamp").asLong());
    assertEquals("Keyhaven", directive.get("Namespace").asText());
    for (JsonNode set : directive.get("Dimensions")) {
      for (JsonNode dimension : set) {
        assertEquals(true, root.get(dimension.asText()).isTextual(), dimension.asText());
      }
    }
    for (JsonNode metric : directive.get("Metrics")) {
      assertEquals(true, root.get(metric.get("Name").asText()).isNumber(), metric.toString());
    }
    return root;
  }

  @Test
  void request_success_isOneLineWithActionOutcomeAndLatency() throws Exception {
    emf.request(KmsAction.ENCRYPT, null, 2_500_000);
    JsonNode line = valid(lines.get(0));
    assertEquals("Encrypt", line.get("Action").asText());
    assertEquals("success", line.get("Outcome").asText());
    assertEquals("none", line.get("ErrorCode").asText());
    assertEquals(1, line.get("Requests").asInt());
    assertEquals(2.5, line.get("Latency").asDouble(), 1e-9);
  }

  @Test
  void request_failureWithoutAction_namesTheErrorCode() throws Exception {
    emf.request(null, ErrorCode.KMS_INTERNAL, 1_000);
    JsonNode line = valid(lines.get(0));
    assertEquals("none", line.get("Action").asText());
    assertEquals("server_error", line.get("Outcome").asText());
    assertEquals("KMSInternalException", line.get("ErrorCode").asText());
  }

  @Test
  void auditCommitAndMaintenance_areValidLines() throws Exception {
    emf.auditCommit(17, 3_000_000, true);
    emf.auditCommit(4, 1_000_000, false);
    emf.maintenanceRun(3, 1, 2, true);
    assertEquals(17, valid(lines.get(0)).get("AuditBatchSize").asInt());
    assertEquals(1, valid(lines.get(1)).get("AuditCommitFailures").asInt());
    JsonNode run = valid(lines.get(2));
    assertEquals("succeeded", run.get("Result").asText());
    assertEquals(3, run.get("RotatedKeys").asInt());
    assertEquals(2, run.get("ExpiredKeys").asInt());
  }
}
