package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.crypto.SecretBytes;

/**
 * Random bytes from the approved DRBG of the FIPS provider: key material, data keys,
 * GenerateRandom, grant ids and tokens, access key ids and secrets. Every value is fresh and
 * unpredictable; none is ever derived from another.
 */
public interface RandomSource {

  /** Fresh symmetric key material (256 bits) from the approved DRBG. */
  SecretBytes newSymmetricMaterial();

  /** {@code length} random bytes from the approved DRBG (GenerateRandom, data keys). */
  byte[] randomBytes(int length);
}
