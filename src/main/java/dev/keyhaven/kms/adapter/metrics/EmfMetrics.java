package dev.keyhaven.kms.adapter.metrics;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.port.ServiceMetrics;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * {@link ServiceMetrics} as CloudWatch Embedded Metric Format lines (CloudWatch User Guide,
 * "Specification: Embedded metric format"): one JSON object per event on the log category {@value
 * #LOG_CATEGORY}, which CloudWatch Logs turns into metrics of namespace {@value #NAMESPACE} without
 * any API call from the function. The Lambda functions use it (no Prometheus registry is in their
 * artifact); in the server the Prometheus registry replaces it.
 *
 * <p>The same counters as the server's (docs/self-hosting.md, "Metrics"): Requests and Latency by
 * Action and Outcome, and by ErrorCode; AuditBatchSize, AuditCommitLatency, AuditCommitFailures;
 * MaintenanceRuns, RotatedKeys, DeletedKeys, ExpiredKeys. Dimension values come from closed sets
 * only. A function that should not publish metrics silences the category ({@code
 * quarkus.log.category."keyhaven.metrics".level=OFF}).
 */
@DefaultBean
@ApplicationScoped
public class EmfMetrics implements ServiceMetrics {
  public static final String LOG_CATEGORY = "keyhaven.metrics";
  static final String NAMESPACE = "Keyhaven";
  private static final Logger SINK = Logger.getLogger(LOG_CATEGORY);

  private final Clock clock;
  private final Consumer<String> out;
  private final java.util.function.BooleanSupplier enabled;

  @Inject
  EmfMetrics(Clock clock) {
    this.clock = clock;
    this.out = line -> SINK.info(line);
    this.enabled = SINK::isInfoEnabled;
  }

  /** Writes each line to {@code out} (tests). */
  EmfMetrics(Clock clock, Consumer<String> out) {
    this.clock = clock;
    this.out = out;
    this.enabled = () -> true;
  }

  @Override
  public void request(KmsAction action, ErrorCode error, long nanos) {
    if (!enabled.getAsBoolean()) {
      return;
    }
    String outcome =
        error == null ? "success" : error.isClientFault() ? "client_error" : "server_error";
    out.accept(
        head(
                "[[\"Action\",\"Outcome\"],[\"ErrorCode\"]]",
                "{\"Name\":\"Requests\",\"Unit\":\"Count\"},"
                    + "{\"Name\":\"Latency\",\"Unit\":\"Milliseconds\"}")
            + ",\"Action\":\""
            + (action == null ? "none" : action.eventName())
            + "\",\"Outcome\":\""
            + outcome
            + "\",\"ErrorCode\":\""
            + (error == null ? "none" : error.awsType())
            + "\",\"Requests\":1,\"Latency\":"
            + millis(nanos)
            + "}");
  }

  @Override
  public void auditCommit(int events, long nanos, boolean committed) {
    if (!enabled.getAsBoolean()) {
      return;
    }
    out.accept(
        head(
                "[[]]",
                "{\"Name\":\"AuditBatchSize\",\"Unit\":\"Count\"},"
                    + "{\"Name\":\"AuditCommitLatency\",\"Unit\":\"Milliseconds\"},"
                    + "{\"Name\":\"AuditCommitFailures\",\"Unit\":\"Count\"}")
            + ",\"AuditBatchSize\":"
            + (committed ? events : 0)
            + ",\"AuditCommitLatency\":"
            + millis(nanos)
            + ",\"AuditCommitFailures\":"
            + (committed ? 0 : 1)
            + "}");
  }

  @Override
  public void maintenanceRun(int rotated, int deleted, int expired, boolean succeeded) {
    if (!enabled.getAsBoolean()) {
      return;
    }
    out.accept(
        head(
                "[[\"Result\"]]",
                "{\"Name\":\"MaintenanceRuns\",\"Unit\":\"Count\"},"
                    + "{\"Name\":\"RotatedKeys\",\"Unit\":\"Count\"},"
                    + "{\"Name\":\"DeletedKeys\",\"Unit\":\"Count\"},"
                    + "{\"Name\":\"ExpiredKeys\",\"Unit\":\"Count\"}")
            + ",\"Result\":\""
            + (succeeded ? "succeeded" : "failed")
            + "\",\"MaintenanceRuns\":1,\"RotatedKeys\":"
            + rotated
            + ",\"DeletedKeys\":"
            + deleted
            + ",\"ExpiredKeys\":"
            + expired
            + "}");
  }

  /** The {@code _aws} metadata member, without the closing brace of the object. */
  private String head(String dimensions, String metrics) {
    return "{\"_aws\":{\"Timestamp\":"
        + clock.millis()
        + ",\"CloudWatchMetrics\":[{\"Namespace\":\""
        + NAMESPACE
        + "\",\"Dimensions\":"
        + dimensions
        + ",\"Metrics\":["
        + metrics
        + "]}]}";
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }
}
