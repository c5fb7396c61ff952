package dev.keyhaven.kms.domain.key;

import dev.keyhaven.kms.domain.crypto.HashAlgorithm;

/**
 * AWS KMS AlgorithmSpec, the WrappingAlgorithm of GetParametersForImport (AWS KMS Developer Guide,
 * "Select a wrapping algorithm"):
 *
 * <ul>
 *   <li>RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256: the key material itself encrypted with RSA-OAEP
 *       (MGF1 with the same hash) under the wrapping public key;
 *   <li>RSA_AES_KEY_WRAP_SHA_1 / RSA_AES_KEY_WRAP_SHA_256: a fresh AES key encrypted with RSA-OAEP,
 *       followed by the key material wrapped under it with AES Key Wrap with Padding (RFC 5649) —
 *       required for RSA private keys, which are too long for RSA-OAEP alone.
 * </ul>
 *
 * RSAES_PKCS1_V1_5 (withdrawn by AWS on 10 October 2023) and SM2PKE (China Regions) are not served.
 */
public enum WrappingAlgorithm implements AwsEnum {
  RSAES_PKCS1_V1_5(null, false),
  RSAES_OAEP_SHA_1(HashAlgorithm.SHA_1, false),
  RSAES_OAEP_SHA_256(HashAlgorithm.SHA_256, false),
  RSA_AES_KEY_WRAP_SHA_1(HashAlgorithm.SHA_1, true),
  RSA_AES_KEY_WRAP_SHA_256(HashAlgorithm.SHA_256, true),
  SM2PKE(null, false);

  private final HashAlgorithm oaepHash;
  private final boolean aesKeyWrap;

  WrappingAlgorithm(HashAlgorithm oaepHash, boolean aesKeyWrap) {
    this.oaepHash = oaepHash;
    this.aesKeyWrap = aesKeyWrap;
  }

  /** The RSA-OAEP hash (also MGF1's); null for the algorithms Keyhaven does not serve. */
  public HashAlgorithm oaepHash() {
    return oaepHash;
  }

  /** Whether the material is wrapped with AES-KWP under an RSA-OAEP-encrypted AES key. */
  public boolean aesKeyWrap() {
    return aesKeyWrap;
  }
}
