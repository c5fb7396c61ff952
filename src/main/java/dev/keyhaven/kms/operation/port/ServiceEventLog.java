package dev.keyhaven.kms.operation.port;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Map;

/**
 * Where the maintenance job reports what it did on its own: CloudTrail service events ({@code
 * eventType: AwsServiceEvent}, AWS KMS Developer Guide, "RotateKey", "DeleteKey",
 * "DeleteExpiredKeyMaterial" CloudTrail entries).
 *
 * <p>Contract: {@link #record} joins the caller's current database transaction, so an event is
 * stored exactly when the change it describes commits, and a failure to store it rolls the change
 * back.
 */
public interface ServiceEventLog {
  /** Records one service event inside the caller's current transaction. */
  Uni<Void> record(ServiceEvent event);

  /**
   * One action the service took without a caller.
   *
   * @param eventName {@code RotateKey}, {@code DeleteKey}, {@code DeleteExpiredKeyMaterial}, or for
   *     a local seed file the action it took ({@code CreateKey}, {@code CreateAlias}, …)
   * @param accountId the account that owns the key
   * @param region the key's region
   * @param keyArn the key the action was taken on
   * @param eventTime when the job took it (the injectable clock)
   * @param details more of {@code serviceEventDetails} beside {@code keyId} (e.g. what a seed file
   *     set); empty for the maintenance job's events
   */
  record ServiceEvent(
      String eventName,
      String accountId,
      String region,
      String keyArn,
      Instant eventTime,
      Map<String, String> details) {
    public ServiceEvent {
      details = details == null ? Map.of() : Map.copyOf(details);
    }

    public ServiceEvent(
        String eventName, String accountId, String region, String keyArn, Instant eventTime) {
      this(eventName, accountId, region, keyArn, eventTime, Map.of());
    }
  }
}
