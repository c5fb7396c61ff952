package dev.keyhaven.kms.function;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.operation.AuditAccess;
import dev.keyhaven.kms.operation.ImportQuota;
import dev.keyhaven.kms.operation.KeyMaintenance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/** Operation settings from {@code kms.*}: the operation layer does not read configuration. */
public class OperationSettingsProducer {
  @Produces
  @Singleton
  KeyMaintenance.Limits limits(KmsConfig config) {
    return new KeyMaintenance.Limits(
        config.maintenance().batchSize(), config.maintenance().maxBatchesPerRun());
  }

  /** {@code kms.audit.operator-accounts}; unset: the local dev account. */
  @Produces
  @Singleton
  AuditAccess.OperatorAccounts operatorAccounts(KmsConfig config) {
    return new AuditAccess.OperatorAccounts(
        Set.copyOf(config.audit().operatorAccounts().orElse(List.of(config.dev().accountId()))));
  }

  @Produces
  @Singleton
  ImportQuota importQuota(KmsConfig config) {
    return new ImportQuota(
        config.quotas().getParametersForImportPerSecond(),
        config.quotas().getParametersForImportBurst());
  }
}
