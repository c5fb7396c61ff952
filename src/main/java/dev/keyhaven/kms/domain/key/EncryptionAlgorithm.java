package dev.keyhaven.kms.domain.key;

/** AWS KMS EncryptionAlgorithmSpec. */
public enum EncryptionAlgorithm implements AwsEnum {
  SYMMETRIC_DEFAULT,
  RSAES_OAEP_SHA_1,
  RSAES_OAEP_SHA_256,
  SM2PKE;
}
