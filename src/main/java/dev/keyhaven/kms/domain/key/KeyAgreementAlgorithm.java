package dev.keyhaven.kms.domain.key;

/** AWS KMS KeyAgreementAlgorithmSpec: ECDH (NIST SP 800-56A Rev. 3 ECC CDH primitive). */
public enum KeyAgreementAlgorithm implements AwsEnum {
  ECDH;
}
