package dev.keyhaven.kms.support;

import dev.keyhaven.kms.operation.KeyMaintenance;
import io.quarkus.vertx.VertxContextSupport;

/** Runs the maintenance job from a test thread, on a Vert.x context as its triggers do. */
public final class Maintenance {
  private Maintenance() {}

  public static KeyMaintenance.Summary run(KeyMaintenance job, KeyMaintenance.Limits limits) {
    try {
      return VertxContextSupport.subscribeAndAwait(() -> job.run(limits));
    } catch (Throwable e) {
      throw new AssertionError("maintenance run failed", e);
    }
  }

  /** Runs the job until nothing is due at the clock's present (other test classes' keys). */
  public static void drain(KeyMaintenance job) {
    KeyMaintenance.Limits limits = new KeyMaintenance.Limits(500, 20);
    for (int i = 0; i < 100; i++) {
      if (run(job, limits).remaining() == 0) {
        return;
      }
    }
    throw new AssertionError("maintenance work did not drain");
  }
}
