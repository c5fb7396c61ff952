package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.key.MacAlgorithm;

/**
 * HMAC (FIPS 198-1) for GenerateMac and VerifyMac.
 *
 * <p>Guarantees: {@link #verify} compares the full tag in constant time and answers false for any
 * tag that is not the full MAC of the message (a truncated or longer tag included).
 */
public interface MacCrypto {

  byte[] mac(MacAlgorithm algorithm, SecretBytes key, byte[] message);

  boolean verify(MacAlgorithm algorithm, SecretBytes key, byte[] message, byte[] mac);
}
