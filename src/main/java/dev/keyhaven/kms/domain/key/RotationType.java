package dev.keyhaven.kms.domain.key;

/**
 * AWS KMS RotationType (API Reference, RotationsListEntry): how a material version came to be. The
 * key's first material has none.
 */
public enum RotationType implements AwsEnum {
  AUTOMATIC,
  ON_DEMAND;
}
