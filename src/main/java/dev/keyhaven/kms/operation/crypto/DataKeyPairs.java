package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.DataKeyPairSpec;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AsymmetricCrypto;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext share (AWS KMS API Reference,
 * GenerateDataKeyPair; request members: {@link GenerateDataKeyPair.Request}): the pair is generated
 * from the approved DRBG only once the request is authorized (condition keys kms:DataKeyPairSpec
 * and the encryption context) and the wrapping key is an Enabled symmetric encryption key; its
 * private key (PKCS#8 DER) is encrypted under that key exactly as Encrypt would, bound to the
 * encryption context, and its public key is returned as DER SubjectPublicKeyInfo.
 * ECC_NIST_EDWARDS25519 pairs are Ed25519 keys in RFC 8410 encodings; SM2 pairs (China Regions) are
 * not served (UnsupportedOperationException).
 */
@ApplicationScoped
public class DataKeyPairs {

  /** A generated pair, its private key sealed under the KMS key. */
  record Generated(
      KmsKey key,
      DataKeyPairSpec spec,
      AsymmetricCrypto.KeyPair pair,
      byte[] privateKeyCiphertextBlob) {}

  private final Envelope envelope;
  private final AsymmetricCrypto asymmetric;

  DataKeyPairs(Envelope envelope, AsymmetricCrypto asymmetric) {
    this.envelope = envelope;
    this.asymmetric = asymmetric;
  }

  /**
   * Generates a pair of the request's KeyPairSpec and seals its private key (the members are valid:
   * {@link GenerateDataKeyPair.Request}).
   */
  Uni<Generated> generate(
      RequestContext context, KmsAction action, GenerateDataKeyPair.Request request) {
    DataKeyPairSpec spec = AwsEnum.fromWire(DataKeyPairSpec.class, request.keyPairSpec());
    if (spec.keySpec().family() == KeySpec.Family.NOT_SUPPORTED) {
      throw KmsException.unsupported(
          "KeyPairSpec " + spec.wireName() + " is not supported by this Keyhaven version.");
    }
    EncryptionContext ec = EncryptionContext.of(request.encryptionContext());
    Conditions conditions = Conditions.none().with("kms:DataKeyPairSpec", spec.wireName());
    return envelope
        .dataKeyWrappingKey(context, action, request.keyId(), ec, conditions)
        .chain(
            key ->
                asymmetric
                    .generate(spec.keySpec())
                    .chain(
                        pair ->
                            envelope
                                .sealUnder(key, pair.privateKey().exposeForCrypto(), ec)
                                .map(
                                    encrypted ->
                                        new Generated(
                                            key, spec, pair, encrypted.ciphertextBlob()))));
  }
}
