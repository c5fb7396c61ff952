package dev.keyhaven.kms.operation;

/**
 * GetParametersForImport's request quota per account ({@code
 * kms.quotas.get-parameters-for-import-*}): a record of its own so that configuration can produce
 * it in every function build, also those without the operation.
 */
public record ImportQuota(double perSecond, int burst) {}
