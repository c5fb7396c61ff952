package dev.keyhaven.kms.domain.key;

/** AWS KMS DataKeySpec (GenerateDataKey KeySpec). */
public enum DataKeySpec implements AwsEnum {
  AES_256,
  AES_128;
}
