package dev.keyhaven.kms.domain.key;

/** AWS KMS KeyUsageType. */
public enum KeyUsage implements AwsEnum {
  SIGN_VERIFY,
  ENCRYPT_DECRYPT,
  GENERATE_VERIFY_MAC,
  KEY_AGREEMENT;
}
