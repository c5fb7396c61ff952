package dev.keyhaven.kms.function.scheduled;

import dev.keyhaven.kms.operation.KeyMaintenance;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Trigger (b) of the maintenance job: in the long-running server ({@code ./kms dev}) the job runs
 * in-process every {@code kms.maintenance.interval} (default one minute; {@code off} disables it).
 * A run still going when the next is due is not doubled up here; runs on other instances are safe
 * anyway ({@link KeyMaintenance}). A failed run is logged and retried at the next tick.
 */
@ApplicationScoped
public class MaintenanceTimer {
  private static final Logger LOG = Logger.getLogger(MaintenanceTimer.class);

  private final KeyMaintenance job;
  private final AtomicReference<CompletableFuture<KeyMaintenance.Summary>> nextRun =
      new AtomicReference<>(new CompletableFuture<>());

  MaintenanceTimer(KeyMaintenance job) {
    this.job = job;
  }

  @Scheduled(
      identity = "key-maintenance",
      every = "${kms.maintenance.interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> tick() {
    long started = System.nanoTime();
    return job.run()
        .invoke(
            summary -> {
              long millis = (System.nanoTime() - started) / 1_000_000;
              if (summary.rotated() + summary.deleted() + summary.expired() > 0
                  || summary.remaining() > 0) {
                LOG.infof(
                    "maintenance: rotated %d, deleted %d, expired %d, remaining %d in %d ms",
                    summary.rotated(),
                    summary.deleted(),
                    summary.expired(),
                    summary.remaining(),
                    millis);
              } else {
                LOG.debugf("maintenance: nothing due, %d ms", millis);
              }
              nextRun.getAndSet(new CompletableFuture<>()).complete(summary);
            })
        .onFailure()
        .invoke(e -> LOG.error("maintenance run failed; retried at the next tick", e))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /** Completes with the summary of the next run that finishes (observability and tests). */
  public CompletableFuture<KeyMaintenance.Summary> nextRun() {
    return nextRun.get();
  }
}
