package dev.keyhaven.kms.config;

import dev.keyhaven.kms.operation.KeyMaintenance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The maintenance job's bounds from {@code kms.maintenance.*}. */
public class MaintenanceLimitsProducer {
  @Produces
  @Singleton
  KeyMaintenance.Limits limits(KmsConfig config) {
    return new KeyMaintenance.Limits(
        config.maintenance().batchSize(), config.maintenance().maxBatchesPerRun());
  }
}
