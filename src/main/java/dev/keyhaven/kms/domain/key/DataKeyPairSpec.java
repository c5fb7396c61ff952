package dev.keyhaven.kms.domain.key;

/**
 * AWS KMS DataKeyPairSpec (GenerateDataKeyPair KeyPairSpec). The literals are the asymmetric key
 * specs of the same name; SM2 (China Regions) is not served.
 */
public enum DataKeyPairSpec implements AwsEnum {
  RSA_2048,
  RSA_3072,
  RSA_4096,
  ECC_NIST_P256,
  ECC_NIST_P384,
  ECC_NIST_P521,
  ECC_SECG_P256K1,
  SM2,
  ECC_NIST_EDWARDS25519;

  /** The key spec that generates this pair. */
  public KeySpec keySpec() {
    return KeySpec.valueOf(name());
  }
}
