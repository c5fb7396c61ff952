package dev.keyhaven.kms.domain.crypto;

/** The SHA-2 (and, for RSAES_OAEP_SHA_1 only, SHA-1) hash functions the key algorithms name. */
public enum HashAlgorithm {
  SHA_1(20),
  SHA_224(28),
  SHA_256(32),
  SHA_384(48),
  SHA_512(64);

  private final int length;

  HashAlgorithm(int length) {
    this.length = length;
  }

  /** The digest length in bytes. */
  public int length() {
    return length;
  }
}
