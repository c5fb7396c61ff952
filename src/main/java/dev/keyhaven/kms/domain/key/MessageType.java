package dev.keyhaven.kms.domain.key;

/**
 * AWS KMS MessageType of Sign and Verify: RAW (KMS hashes the message) or DIGEST (the caller's
 * hash, used as is and never hashed again). EXTERNAL_MU belongs to ML-DSA, which Keyhaven does
 * not serve.
 */
public enum MessageType implements AwsEnum {
  RAW,
  DIGEST,
  EXTERNAL_MU;
}
