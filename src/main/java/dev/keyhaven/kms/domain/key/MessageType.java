package dev.keyhaven.kms.domain.key;

/**
 * AWS KMS MessageType of Sign and Verify: RAW (KMS hashes the message) or DIGEST (the caller's
 * hash, used as is and never hashed again); EXTERNAL_MU is ML-DSA's 64-byte μ (FIPS 204 §6.2).
 * Which types an algorithm accepts: {@link SigningAlgorithm#messageTypes()}.
 */
public enum MessageType implements AwsEnum {
  RAW,
  DIGEST,
  EXTERNAL_MU;
}
