package dev.keyhaven.kms.domain.key;

/**
 * AWS KMS WrappingKeySpec (GetParametersForImport): the RSA size of the wrapping key pair. SM2 is
 * for AWS China Regions and not served.
 */
public enum WrappingKeySpec implements AwsEnum {
  RSA_2048,
  RSA_3072,
  RSA_4096,
  SM2;

  /** The key spec of the wrapping key pair. */
  public KeySpec keySpec() {
    return KeySpec.valueOf(name());
  }
}
