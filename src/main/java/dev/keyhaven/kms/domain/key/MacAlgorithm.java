package dev.keyhaven.kms.domain.key;

import dev.keyhaven.kms.domain.crypto.HashAlgorithm;

/** AWS KMS MacAlgorithmSpec: HMAC (FIPS 198-1) with one SHA-2 hash, one per HMAC key spec. */
public enum MacAlgorithm implements AwsEnum {
  HMAC_SHA_224(HashAlgorithm.SHA_224),
  HMAC_SHA_256(HashAlgorithm.SHA_256),
  HMAC_SHA_384(HashAlgorithm.SHA_384),
  HMAC_SHA_512(HashAlgorithm.SHA_512);

  private final HashAlgorithm hash;

  MacAlgorithm(HashAlgorithm hash) {
    this.hash = hash;
  }

  public HashAlgorithm hash() {
    return hash;
  }
}
