package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.DataKeyPairSpec;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.port.AsymmetricCrypto;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * What GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext share (AWS KMS API Reference,
 * GenerateDataKeyPair): KeyId and KeyPairSpec are required; the pair is generated from the
 * approved DRBG only once the request is authorized (condition keys kms:DataKeyPairSpec and the
 * encryption context) and the wrapping key is an Enabled symmetric encryption key; its private key
 * (PKCS#8 DER) is encrypted under that key exactly as Encrypt would, bound to the encryption
 * context, and its public key is returned as DER SubjectPublicKeyInfo. ECC_NIST_EDWARDS25519 pairs
 * are Ed25519 keys in RFC 8410 encodings; SM2 pairs (China Regions) are not served
 * (UnsupportedOperationException).
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
  private final Transactions transactions;

  DataKeyPairs(Envelope envelope, AsymmetricCrypto asymmetric, Transactions transactions) {
    this.envelope = envelope;
    this.asymmetric = asymmetric;
    this.transactions = transactions;
  }

  /** Validates the request members; returns the pair spec. */
  private static DataKeyPairSpec validate(
      String keyId,
      String keyPairSpec,
      Map<String, String> encryptionContext,
      List<String> grantTokens) {
    new Validator()
        .required("keyId", keyId)
        .required("keyPairSpec", keyPairSpec)
        .length("keyId", keyId, 1, 2048)
        .oneOf("keyPairSpec", keyPairSpec, AwsEnum.wireNames(DataKeyPairSpec.class))
        .encryptionContext("encryptionContext", encryptionContext)
        .grantTokens(grantTokens)
        .check();
    DataKeyPairSpec spec = AwsEnum.fromWire(DataKeyPairSpec.class, keyPairSpec);
    if (spec.keySpec().family() == KeySpec.Family.NOT_SUPPORTED) {
      throw KmsException.unsupported(
          "KeyPairSpec " + spec.wireName() + " is not supported by this Keyhaven version.");
    }
    return spec;
  }

  /**
   * Validates the request, then generates and seals a pair; DryRun answers DryRunOperationException
   * once everything passed.
   */
  Uni<Generated> generate(
      RequestContext context,
      KmsAction action,
      String keyId,
      String keyPairSpec,
      Map<String, String> encryptionContext,
      List<String> grantTokens,
      Boolean dryRun) {
    DataKeyPairSpec spec = validate(keyId, keyPairSpec, encryptionContext, grantTokens);
    EncryptionContext ec = EncryptionContext.of(encryptionContext);
    Conditions conditions = Conditions.none().with("kms:DataKeyPairSpec", spec.wireName());
    return DryRun.unlessDryRun(dryRun, transactions.inSession(
        () ->
            envelope
                .dataKeyWrappingKey(context, action, keyId, ec, conditions)
                .chain(
                    key ->
                        asymmetric
                            .generate(spec.keySpec())
                            .chain(
                                pair ->
                                    envelope
                                        .sealUnder(key, pair.privateKey().exposeForCrypto(), ec)
                                        .map(
                                            sealed ->
                                                new Generated(
                                                    key, spec, pair, sealed.ciphertextBlob()))))));
  }
}
