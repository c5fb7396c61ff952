package dev.keyhaven.kms.function.rotation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.keyhaven.kms.operation.KeyMaintenance;
import dev.keyhaven.kms.operation.port.DatabaseSetup;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Named;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The rotation function's handler ({@code QUARKUS_LAMBDA_HANDLER=rotation}): trigger (a) of the
 * maintenance job, an EventBridge schedule. Each invocation is one {@link KeyMaintenance#run()} —
 * the same job the server runs on its timer — and returns its summary.
 *
 * <p>Contract: only an EventBridge {@code Scheduled Event} ({@code source} {@code aws.events},
 * {@code detail-type} {@code Scheduled Event}) runs the job; any other payload fails the invocation
 * and changes nothing. Concurrent or repeated invocations are safe (the job claims keys with {@code
 * FOR UPDATE SKIP LOCKED}); reserved concurrency 1 only saves work. A failed run fails the
 * invocation (EventBridge/Lambda retry it) and leaves whole batches done.
 */
@Named("rotation")
public class RotationFunction
    implements RequestHandler<Map<String, Object>, KeyMaintenance.Summary> {
  private static final Logger LOG = Logger.getLogger(RotationFunction.class);

  private final KeyMaintenance job;
  private final DatabaseSetup database;

  RotationFunction(KeyMaintenance job, DatabaseSetup database) {
    this.job = job;
    this.database = database;
  }

  @Override
  public KeyMaintenance.Summary handleRequest(Map<String, Object> event, Context context) {
    ScheduledEvent scheduled = ScheduledEvent.of(event);
    try {
      database.ready();
      KeyMaintenance.Summary summary = VertxContextSupport.subscribeAndAwait(job::run);
      LOG.infof(
          "maintenance for scheduled event %s (%s): rotated %d, deleted %d, expired %d,"
              + " remaining %d",
          scheduled.id(),
          scheduled.time(),
          summary.rotated(),
          summary.deleted(),
          summary.expired(),
          summary.remaining());
      return summary;
    } catch (Throwable e) {
      throw new IllegalStateException("maintenance run failed for event " + scheduled.id(), e);
    }
  }
}
