package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KeySpec;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import javax.crypto.KeyAgreement;

/**
 * ECDH for DeriveSharedSecret: the FIPS module's ECC CDH primitive (NIST SP 800-56A Rev. 3,
 * §5.7.1.2; {@code ECCDH}, which equals plain ECDH on the NIST prime curves, cofactor 1). The
 * result is the raw shared secret Z — the x-coordinate, field-size bytes — as AWS returns it.
 *
 * <p>The peer's key must be a SubjectPublicKeyInfo on the KMS key's own named curve and a valid
 * point of it (the provider's full public-key validation: on the curve, not the point at infinity);
 * anything else — another curve, explicit curve parameters, an invalid or twist point — is a
 * ValidationException with AWS's empty message, never a secret.
 */
final class FipsEcdh {
  private FipsEcdh() {}

  static SecretBytes derive(KeySpec spec, PrivateKey privateKey, byte[] peerPublicKey) {
    PublicKey peer;
    try {
      peer = FipsKeyPairs.publicKey(spec, peerPublicKey);
    } catch (IllegalArgumentException e) {
      throw invalidPublicKey(spec);
    }
    try {
      KeyAgreement agreement = KeyAgreement.getInstance("ECCDH", Fips.PROVIDER);
      agreement.init(privateKey, Fips.drbg());
      agreement.doPhase(peer, true);
      return SecretBytes.adopt(agreement.generateSecret());
    } catch (GeneralSecurityException | IllegalStateException e) {
      throw invalidPublicKey(spec);
    }
  }

  /**
   * Recorded from AWS (DeriveSharedSecret with a PublicKey that is not a valid key of the curve):
   * ValidationException with an empty message. The explanation goes to the server log only.
   */
  private static KmsException invalidPublicKey(KeySpec spec) {
    return new KmsException(
        ErrorCode.VALIDATION,
        "",
        "PublicKey is not a valid DER-encoded " + spec.wireName() + " SubjectPublicKeyInfo.");
  }
}
