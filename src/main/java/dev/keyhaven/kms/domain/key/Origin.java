package dev.keyhaven.kms.domain.key;

/** AWS KMS OriginType. */
public enum Origin implements AwsEnum {
  AWS_KMS,
  EXTERNAL,
  AWS_CLOUDHSM,
  EXTERNAL_KEY_STORE;
}
